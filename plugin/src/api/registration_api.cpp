// Registration entry points: application forms (利用申請書) and the terminal's life cycle.
// The forms and number validation answer at once (in-process, docs/registration.md); the terminal
// calls are network jobs.
#include "api/exception_barrier.h"
#include "api/out_memory.h"
#include "core/terminal_jobs.h"
#include "registration/application_form.h"
#include "registration/application_pdf.h"
#include "registration/number_validation.h"
#include "util/secure_buffer.h"

#include <cstring>
#include <optional>
#include <string>

using onshi::Error;
using onshi::api::require;
using onshi::api::with_context;

namespace {

// A validation report for the host: the JSON (also when invalid), and ONSHI_OK or
// ONSHI_E_VALIDATION with the error count and the first error as the last-error message. The
// report stays handed out when it is invalid: the host frees it either way.
onshi_status hand_out(const onshi::registration::Report &report, char **out_report_json) {
    *out_report_json = onshi::api::copy_out(report.to_json());
    if (report.valid()) return ONSHI_OK;
    const auto &first = report.errors.front().message;
    const std::string n = std::to_string(report.errors.size());
    throw Error(ONSHI_E_VALIDATION, {n + " error(s), the first: " + first.en, n + " 件の誤り。最初の誤り: " + first.ja});
}

}  // namespace

extern "C" {

ONSHI_API onshi_status ONSHI_CALL onshi_application_validate(onshi_context *context, const char *form_json,
                                                             char **out_report_json) {
    return with_context(context, [&](onshi::core::Context &ctx) {
        require(form_json, "form_json");
        require(out_report_json, "out_report_json");
        *out_report_json = nullptr;
        // "Today" for 申請日 / 利用終了予定年月日 is the date in Japan by the context's clock.
        const auto today = onshi::registration::Date::in_japan(ctx.services().clock->system_now());
        return hand_out(onshi::registration::validate_application(form_json, today), out_report_json);
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
    return with_context(context, [&](onshi::core::Context &) {
        require(numbers_json, "numbers_json");
        require(out_report_json, "out_report_json");
        *out_report_json = nullptr;
        return hand_out(onshi::registration::validate_numbers(numbers_json), out_report_json);
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
