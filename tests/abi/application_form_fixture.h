// What the application-form ABI tests share: a context without PC/SC (forms need no reader) and
// one valid 利用申請書 (fictitious clinic; the institution code has a valid check digit).
#pragma once

#include <onshi/onshi.h>

#include <gtest/gtest.h>

namespace abi_test {

inline const char *const kApplicationForm = R"({"application_types":[1,2],"application_date":"2026-01-05","contact_name":"受付　花子",
  "institution_code":"3410712362","institution_name":"さくら通り整形外科クリニック","founder_name":"桜井　太郎",
  "phone":"082-555-0123","email":"uketsuke@sakura-clinic.example.jp","password":"Sakura2026Clinic",
  "account_last4":"1234","staff_count":12,"terminal_count":2})";

struct PcscOffContext {
    onshi_context *ctx = nullptr;
    PcscOffContext() { EXPECT_EQ(onshi_open(R"({"pcsc":{"enabled":false}})", &ctx), ONSHI_OK); }
    ~PcscOffContext() { onshi_close(ctx); }
    PcscOffContext(const PcscOffContext &) = delete;
    PcscOffContext &operator=(const PcscOffContext &) = delete;
};

}  // namespace abi_test
