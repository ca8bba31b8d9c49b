// json::Writer writes exactly what RapidJSON's own Writer writes for the same calls (so moving a
// call site onto it changes no byte), copies parsed values in through Accept, feeds the field
// index in the same pass, and take_secure() leaves no copy of a secret body in its buffer.
#include "util/json_writer.h"

#include "util/json.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

namespace onshi::json {
namespace {

TEST(JsonWriter, MembersAreKeyValuePairsAsRapidJsonWritesThem) {
    Writer w;
    w.begin_object()
        .member("s", std::string("a\"b\\c\n"))
        .member("literal", "text")  // a literal stays a string, not a bool
        .member("yes", true)
        .member("no", false)
        .member("int", -7)
        .member("int64", std::int64_t{1} << 40)
        .member("double", 0.1)
        .null_member("nothing");
    w.key("list").begin_array().null().end_array();
    w.key("object").begin_object().end_object();
    w.end_object();

    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> r(buf);
    r.StartObject();
    r.Key("s");
    r.String("a\"b\\c\n");
    r.Key("literal");
    r.String("text");
    r.Key("yes");
    r.Bool(true);
    r.Key("no");
    r.Bool(false);
    r.Key("int");
    r.Int64(-7);
    r.Key("int64");
    r.Int64(std::int64_t{1} << 40);
    r.Key("double");
    r.Double(0.1);
    r.Key("nothing");
    r.Null();
    r.Key("list");
    r.StartArray();
    r.Null();
    r.EndArray();
    r.Key("object");
    r.StartObject();
    r.EndObject();
    r.EndObject();
    EXPECT_EQ(w.text(), std::string(buf.GetString(), buf.GetSize()));
    EXPECT_EQ(w.text().substr(0, 40), R"({"s":"a\"b\\c\n","literal":"text","yes":)");
}

TEST(JsonWriter, StringsKeepEmbeddedZerosAndBytesAsGiven) {
    Writer w;
    w.begin_object().member("z", std::string_view("a\0b", 3)).member("ja", "資格確認").end_object();
    EXPECT_EQ(w.text(), std::string("{\"z\":\"a\\u0000b\",\"ja\":\"資格確認\"}"));
}

TEST(JsonWriter, AcceptCopiesAParsedValueInPlace) {
    const std::string in = R"({"XmlMsg":{"A":["1",{"B":"2"}],"n":1.5,"t":true,"z":null,"u":18446744073709551615}})";
    rapidjson::Document doc = parse(in, "test", ONSHI_E_INTERNAL);
    Writer w;
    w.begin_object().member("before", "x").key("copy");
    doc.Accept(w);
    w.member("after", 1).end_object();
    EXPECT_EQ(w.text(), R"({"before":"x","copy":)" + in + R"(,"after":1})");
}

TEST(JsonWriter, FeedsTheFieldIndexInTheSamePass) {
    FieldIndex fields;
    Writer w(&fields);
    w.begin_object().member("verdict", "eligible").member("count", 2).key("XmlMsg");
    rapidjson::Document doc = parse(R"({"Name":"テスト","List":["a","b"]})", "test", ONSHI_E_INTERNAL);
    doc.Accept(w);
    w.end_object();
    ASSERT_NE(fields.find("verdict", 0), nullptr);
    EXPECT_EQ(*fields.find("verdict", 0), "eligible");
    EXPECT_EQ(fields.find("count", 0), nullptr) << "numbers are not fields";
    EXPECT_EQ(*fields.find("Name", 0), "テスト");
    EXPECT_EQ(*fields.find("List", 1), "b");
    // The same index as parsing the text back.
    FieldIndex parsed = FieldIndex::of(parse(w.text(), "test", ONSHI_E_INTERNAL));
    ASSERT_EQ(parsed.size(), fields.size());
    for (const char *name : {"verdict", "Name", "List"}) {
        for (std::uint32_t i = 0; i < 3; ++i) {
            const std::string *a = fields.find(name, i);
            const std::string *b = parsed.find(name, i);
            ASSERT_EQ(a == nullptr, b == nullptr) << name << i;
            if (a) {
                EXPECT_EQ(*a, *b);
            }
        }
    }
}

TEST(JsonWriter, TakeSecureHandsTheTextOverAndWipesTheBuffer) {
    Writer w;
    w.begin_object().member("setup_password", "pw-123456").end_object();
    const std::string expected = w.text();
    SecureBuffer body = w.take_secure();
    EXPECT_EQ(body.view(), expected);
    EXPECT_EQ(w.text(), "") << "the writer keeps nothing readable";
}

}  // namespace
}  // namespace onshi::json
