#include "api/services_factory.h"

#include "card/pcsc_reader_system.h"

namespace onshi::api {

core::Services make_services(const core::Config &config) {
    core::Services services;
    if (config.pcsc_enabled) services.readers = card::make_pcsc_reader_system();
    return services;
}

}  // namespace onshi::api
