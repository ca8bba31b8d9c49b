// Japanese era (和暦) dates for the reception screen. Plain C++ (no Qt), so that a host in any
// toolkit can copy it; tests/samples/era_date_test.cpp is its unit test.
#ifndef ONSHI_QT_HOST_ERA_DATE_H
#define ONSHI_QT_HOST_ERA_DATE_H

#include <optional>
#include <string>
#include <string_view>

namespace reception {

// A date of the official result (YYYYMMDD: Birthdate, QualificationDate, ...) as people read it at
// a Japanese counter, with the Gregorian date beside it: "19800217" → "昭和55年2月17日 (1980-02-17)".
// The first year of an era is 元年: "20190501" → "令和元年5月1日 (2019-05-01)". nullopt when the
// text is not a calendar date on or after 1868-10-23 (明治元年): show the raw value then.
std::optional<std::string> japanese_date(std::string_view yyyymmdd);

// A time stamp of the result (YYYYMMDDhhmmss, Japan time; confirmation.time, ProcessExecutionTime):
// "20261124201500" → "令和8年11月24日 (2026-11-24) 20:15:00". nullopt when it is not one.
std::optional<std::string> japanese_date_time(std::string_view yyyymmddhhmmss);

} // namespace reception

#endif
