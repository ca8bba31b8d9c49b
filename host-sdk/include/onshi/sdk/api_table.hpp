// onshi host SDK — the one table of every onshi_* entry point the SDK resolves. Adding a
// function to the ABI means adding one line here (and guarding its use by the library's minor).
#ifndef ONSHI_SDK_API_TABLE_HPP
#define ONSHI_SDK_API_TABLE_HPP

#include <onshi/onshi.h>

// X(name): every function of ABI 1.1 (onshi_reader_diagnose, onshi_check_by_insurance and
// onshi_result_from_app_text since 1.1, the others since 1.0), in the order of onshi.h.
#define ONSHI_SDK_FOR_EACH_FUNCTION(X)                                                          \
    X(onshi_abi_version)                                                                        \
    X(onshi_version)                                                                            \
    X(onshi_status_name)                                                                        \
    X(onshi_status_message)                                                                     \
    X(onshi_free)                                                                               \
    X(onshi_open)                                                                               \
    X(onshi_close)                                                                              \
    X(onshi_last_error)                                                                         \
    X(onshi_set_event_callback)                                                                 \
    X(onshi_poll_event)                                                                         \
    X(onshi_set_event_window)                                                                   \
    X(onshi_list_readers)                                                                       \
    X(onshi_reader_diagnose)                                                                    \
    X(onshi_check_eligibility)                                                                  \
    X(onshi_provide_pin)                                                                        \
    X(onshi_check_by_insurance)                                                                 \
    X(onshi_job_cancel)                                                                         \
    X(onshi_job_wait)                                                                           \
    X(onshi_job_state)                                                                          \
    X(onshi_job_result)                                                                         \
    X(onshi_job_release)                                                                        \
    X(onshi_result_json)                                                                        \
    X(onshi_result_field)                                                                       \
    X(onshi_result_photo_png)                                                                   \
    X(onshi_result_from_xml)                                                                    \
    X(onshi_result_from_app_text)                                                               \
    X(onshi_result_free)                                                                        \
    X(onshi_application_validate)                                                               \
    X(onshi_application_render_pdf)                                                             \
    X(onshi_validate_numbers)                                                                   \
    X(onshi_terminal_enroll)                                                                    \
    X(onshi_terminal_status)                                                                    \
    X(onshi_terminal_set_end_date)                                                              \
    X(onshi_terminal_unenroll)                                                                  \
    X(onshi_terminal_renew)

namespace onshi::sdk::detail {

// Pointers into the loaded library, typed from the declarations in onshi.h (decltype is not
// evaluated, so nothing links against onshi). Filled once by Library; never changed afterwards.
struct Api {
// `name` is a declarator here, where parentheses would not compile.
#define ONSHI_SDK_DECLARE_POINTER(name) decltype(&::name) name = nullptr;  // NOLINT(bugprone-macro-parentheses)
    ONSHI_SDK_FOR_EACH_FUNCTION(ONSHI_SDK_DECLARE_POINTER)
#undef ONSHI_SDK_DECLARE_POINTER
};

} // namespace onshi::sdk::detail

#endif
