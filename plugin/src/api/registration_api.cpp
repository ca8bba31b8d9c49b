// Registration entry points: application forms (利用申請書) and the terminal's life cycle.
// Enrollment and status are network jobs; the forms and the other terminal calls land with the
// registration issue and, until then, validate their arguments and answer ONSHI_E_NOT_SUPPORTED.
#include "api/firewall.h"
#include "core/terminal_jobs.h"
#include "util/secure_buffer.h"

#include <cstring>

using onshi::Error;
using onshi::api::require;
using onshi::api::with_context;

namespace {

[[noreturn]] void not_yet(const char *what_en, const char *what_ja) {
    throw Error(ONSHI_E_NOT_SUPPORTED, {std::string(what_en) + " is not available in this build",
                                        std::string(what_ja) + "はこのビルドではまだ利用できません"});
}

// The terminal calls all start a network job; `missing` names a required argument that was NULL.
onshi_status terminal_job_not_yet(onshi_context *context, onshi_job_id *out_job, const char *missing,
                                  const char *what_en, const char *what_ja) {
    return with_context(context, [&](onshi::core::Context &) -> onshi_status {
        if (*missing) require(nullptr, missing);
        require(out_job, "out_job");
        *out_job = 0;
        not_yet(what_en, what_ja);
    });
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
                                                               const char *, uint8_t **out_pdf, size_t *out_size) {
    return with_context(context, [&](onshi::core::Context &) -> onshi_status {
        require(form_json, "form_json");
        require(out_pdf, "out_pdf");
        require(out_size, "out_size");
        *out_pdf = nullptr;
        *out_size = 0;
        not_yet("application form rendering", "利用申請書の印刷");
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

ONSHI_API onshi_status ONSHI_CALL onshi_terminal_set_end_date(onshi_context *context, const char *,
                                                              onshi_job_id *out_job) {
    return terminal_job_not_yet(context, out_job, "", "the planned end of use", "利用終了予定日の設定");
}

ONSHI_API onshi_status ONSHI_CALL onshi_terminal_unenroll(onshi_context *context, onshi_job_id *out_job) {
    return terminal_job_not_yet(context, out_job, "", "ending the terminal's use", "利用終了");
}

ONSHI_API onshi_status ONSHI_CALL onshi_terminal_renew(onshi_context *context, onshi_job_id *out_job) {
    return terminal_job_not_yet(context, out_job, "", "certificate renewal", "証明書の更新");
}

}  // extern "C"
