// The field index behind onshi_result_field: string values by their member name, in document
// order; array items under the array's name; no name, no field.
#include "util/json_field_index.h"

#include "util/json.h"

#include <gtest/gtest.h>

namespace onshi::json {
namespace {

FieldIndex index_of(const std::string &text) { return FieldIndex::of(parse(text, "test", ONSHI_E_INTERNAL)); }

std::string at(const FieldIndex &f, const char *name, std::uint32_t i) {
    const std::string *v = f.find(name, i);
    return v ? *v : "<none>";
}

TEST(JsonFieldIndex, StringsByMemberNameInDocumentOrder) {
    FieldIndex f = index_of(R"({"A":"1","B":{"A":"2","C":"3"},"D":{"A":"4"}})");
    EXPECT_EQ(at(f, "A", 0), "1");
    EXPECT_EQ(at(f, "A", 1), "2");
    EXPECT_EQ(at(f, "A", 2), "4");
    EXPECT_EQ(at(f, "A", 3), "<none>");
    EXPECT_EQ(at(f, "C", 0), "3");
    EXPECT_EQ(at(f, "B", 0), "<none>") << "an object is not a field";
    EXPECT_EQ(f.size(), 4u);
}

TEST(JsonFieldIndex, ArrayItemsCountUnderTheArraysName) {
    FieldIndex f = index_of(R"({"L":["a",["b","c"],{"L":"d","M":"e"},"f"],"M":"g"})");
    EXPECT_EQ(at(f, "L", 0), "a");
    EXPECT_EQ(at(f, "L", 1), "b") << "arrays in arrays keep the outer name";
    EXPECT_EQ(at(f, "L", 2), "c");
    EXPECT_EQ(at(f, "L", 3), "d") << "an object's members use their own names";
    EXPECT_EQ(at(f, "L", 4), "f") << "after the object, items are the array's again";
    EXPECT_EQ(at(f, "M", 0), "e");
    EXPECT_EQ(at(f, "M", 1), "g");
}

TEST(JsonFieldIndex, NoNameNoField) {
    EXPECT_EQ(index_of(R"("root")").size(), 0u);
    EXPECT_EQ(index_of(R"(["a","b"])").size(), 0u);
    FieldIndex f = index_of(R"({"":"unnamed","n":1,"b":true,"z":null,"x":"kept"})");
    EXPECT_EQ(f.size(), 1u);
    EXPECT_EQ(at(f, "", 0), "<none>");
    EXPECT_EQ(at(f, "x", 0), "kept");
}

TEST(JsonFieldIndex, ValuesKeepTheirBytes) {
    FieldIndex f = index_of("{\"InsurerNumber\":\"  123456\",\"z\":\"a\\u0000b\"}");
    EXPECT_EQ(at(f, "InsurerNumber", 0), "  123456");
    EXPECT_EQ(at(f, "z", 0), std::string("a\0b", 3));
}

}  // namespace
}  // namespace onshi::json
