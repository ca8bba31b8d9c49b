// Registration entry points: application forms (利用申請書) and the terminal's life cycle.
// Enrollment and status are network jobs; the forms and the other terminal calls land with the
// registration issue and, until then, validate their arguments and answer ONSHI_E_NOT_SUPPORTED.
#include "api/firewall.h"
#include "api/out_memory.h"
#include "core/terminal_jobs.h"
#include "registration/application_pdf.h"
#include "util/secure_buffer.h"

#include <cstring>
#include <optional>
#include <string>

using onshi::Error;
using onshi::api::require;
using onshi::api::with_context;

namespace {

[[noreturn]] void not_yet(const char *what_en, const char *what_ja) {
    throw Error(ONSHI_E_NOT_SUPPORTED, {std::string(what_en) + " is not available in this build",
                                        std::string(what_ja) + "はこのビルドではまだ利用できません"});
}

}  // namespace

extern "C" {

ONSHI_API onshi_status ONSHI_CALL onshi_application_validate(onshi_context *context, const char *form_json,
                                                             char **out_report_json) {
    return with_context(context, [&](onshi::core::Context &) -> onshi_status {
        require(form_json, "form_json");
        require(out_report_json, "out_report_json");
        *out_report_json = nullptr;
        not_yet("application form validation", "利用申請書の検証");
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_application_render_pdf(onshi_context *context, const char *form_json,
                                                               const char *options_json, uint8_t **out_pdf,
                                                               size_t *out_size) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(form_json, "form_json");
        require(out_pdf, "out_pdf");
        require(out_size, "out_size");
        *out_pdf = nullptr;
        *out_size = 0;
        // Validates first (ONSHI_E_VALIDATION names the first errors); the password is printed
        // only with {"include_password": true}.
        const auto pdf = onshi::registration::render_application_form(form_json, options_json,
                                                                      ctx.services().clock->system_now());
        *out_pdf = onshi::api::copy_out_bytes(pdf.data(), pdf.size());
        *out_size = pdf.size();
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_validate_numbers(onshi_context *context, const char *numbers_json,
                                                         char **out_report_json) {
    return with_context(context, [&](onshi::core::Context &) -> onshi_status {
        require(numbers_json, "numbers_json");
        require(out_report_json, "out_report_json");
        *out_report_json = nullptr;
        not_yet("number validation", "番号の検証");
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_terminal_enroll(onshi_context *context, const char *setup_json,
                                                        onshi_job_id *out_job) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(setup_json, "setup_json");
        require(out_job, "out_job");
        *out_job = 0;
        // The setup password is inside: keep our copy in wiped memory.
        onshi::SecureBuffer setup(setup_json, std::strlen(setup_json));
        *out_job = ctx.submit("network", onshi::core::make_enrollment_procedure(ctx.config(), ctx.services(), setup.view()));
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_terminal_status(onshi_context *context, onshi_job_id *out_job) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(out_job, "out_job");
        *out_job = 0;
        *out_job = ctx.submit("network", onshi::core::make_status_procedure(ctx.services()));
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_terminal_set_end_date(onshi_context *context, const char *date,
                                                              onshi_job_id *out_job) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(out_job, "out_job");
        *out_job = 0;
        std::optional<std::string> planned;
        if (date) planned = std::string(date, strnlen(date, 64));
        // A malformed date is refused here (ONSHI_E_INVALID_ARGUMENT), with no job.
        auto procedure = onshi::core::make_set_end_date_procedure(ctx.services(), std::move(planned));
        *out_job = ctx.submit("network", std::move(procedure));
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_terminal_unenroll(onshi_context *context, onshi_job_id *out_job) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(out_job, "out_job");
        *out_job = 0;
        *out_job = ctx.submit("network", onshi::core::make_unenroll_procedure(ctx.services()));
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_terminal_renew(onshi_context *context, onshi_job_id *out_job) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(out_job, "out_job");
        *out_job = 0;
        *out_job = ctx.submit("network", onshi::core::make_renewal_procedure(ctx.services()));
        return ONSHI_OK;
    });
}

}  // extern "C"
