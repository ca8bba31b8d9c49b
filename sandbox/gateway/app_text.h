// A persona's record as the マイナ資格確認アプリ's result text that staff at a 資格確認限定型
// facility copy out of the app (docs/folder-interface.md §App text): labels as the public
// converters read them, dates in 和暦. The tests import it with onshi and compare with the record.
#pragma once

#include <optional>
#include <string>

#include "gateway/registry.h"

namespace sandbox::gateway {

// "20190501" -> "令和元年5月1日" (明治 to 令和); the input unchanged when it is no such date.
std::string wareki(const std::string& yyyymmdd);

// The text for a person with a record (nullopt for one without: 該当資格なし shows no result).
// confirmation_date (YYYYMMDD) is the 確認日 line. CRLF line ends and full-width colons, as text
// copied on Windows reads.
std::optional<std::string> render_app_text(const InsuredPerson& person, const std::string& confirmation_date);

// The record the text shows: the ResultOfQualificationConfirmation members with the
// LimitApplicationCertificateRelatedInfo nested, as JSON (for the tests' comparison).
std::string record_json(const InsuredPerson& person);

}  // namespace sandbox::gateway
