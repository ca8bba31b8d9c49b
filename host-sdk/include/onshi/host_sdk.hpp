// onshi host SDK — a header-only C++17 wrapper over the onshi C ABI (onshi/onshi.h) for host
// programs (レセコン). It loads the library at run time with Boost.DLL, so the host does not
// link against it and can tell the user clearly when it is missing or too old.
//
//   #include <onshi/host_sdk.hpp>
//
//   onshi::sdk::Library lib("/opt/clinic/lib/libonshi.so.1"); // checks the ABI version
//   onshi::sdk::Context ctx(lib);                            // or Context(lib, config_json)
//   std::cout << ctx.list_readers() << '\n';
//   auto future = ctx.check_eligibility(R"({"method": "pin"})", pin);
//   try {
//       onshi::sdk::Result result = future.get();
//       std::cout << result.field("InsurerNumber").value_or("") << '\n';
//   } catch (const onshi::sdk::JobError &e) {   // e.status(), e.name(), e.message()
//       ...
//   }
//
// Concepts, one per header under onshi/sdk/: error.hpp (Error, JobError), library.hpp
// (Library), result.hpp (Result, Event), handlers.hpp (JobHandlers, PinProvider), job.hpp (Job),
// context.hpp (Context). api_table.hpp lists every entry point the SDK resolves.
#ifndef ONSHI_HOST_SDK_HPP
#define ONSHI_HOST_SDK_HPP

#include <onshi/sdk/context.hpp>
#include <onshi/sdk/error.hpp>
#include <onshi/sdk/handlers.hpp>
#include <onshi/sdk/job.hpp>
#include <onshi/sdk/library.hpp>
#include <onshi/sdk/result.hpp>

#endif
