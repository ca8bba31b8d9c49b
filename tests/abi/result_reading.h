// What the ABI tests of result imports share: a fixture file's bytes, and a result's field as a
// string, with the status in angle brackets when there is none ("<5>"), so that a mismatch shows why.
#pragma once

#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace onshi_test {

inline std::string read_fixture(const std::string &dir, const std::string &name) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string field(const onshi_result *r, const char *name, uint32_t index = 0) {
    const char *value = nullptr;
    onshi_status s = onshi_result_field(r, name, index, &value);
    return s == ONSHI_OK ? std::string(value) : "<" + std::to_string(s) + ">";
}

}  // namespace onshi_test
