// The 業務コード tables (OQSCD001-026, 別紙5-1) that label the coded elements of a 資格確認結果,
// as data. Sources and disagreements: docs/eligibility-format.md §Code tables.
// Unknown elements and unknown codes simply have no label: a response is never rejected because a
// code is new to us.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace onshi::gateway {

struct Label {
    std::string ja;
    std::string en;
};

// True when `element` (an official element name) carries a code or a ratio that has labels.
bool is_coded_element(std::string_view element);

// The label of `value` for `element`, or nullopt when the element is not coded or the code is not
// in its table. Ratio elements (InsuredPartialContributionRatio, ElderlyRecipientContributionRatio)
// are 3-digit percents: "020" -> {"2割", "20%"}; anything else than 3 digits up to 100 is unlabelled.
std::optional<Label> code_label(std::string_view element, std::string_view value);

// The table id ("OQSCD006") an element is coded with, or "" (ratios: "ratio").
std::string_view code_table_of(std::string_view element);

}  // namespace onshi::gateway
