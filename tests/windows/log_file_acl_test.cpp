// Log files on Windows: created with a DACL that grants only this user and SYSTEM (LogFile), not
// what the folder passes on to every file in it.
#include "util/log_file.h"

#include <gtest/gtest.h>

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string sid_string(PSID sid) {
    LPSTR text = nullptr;
    if (!ConvertSidToStringSidA(sid, &text)) return "?";
    std::string out(text);
    LocalFree(text);
    return out;
}

std::string this_user_sid() {
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return "";
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    std::vector<char> buffer(size);
    std::string out;
    if (GetTokenInformation(token, TokenUser, buffer.data(), size, &size))
        out = sid_string(reinterpret_cast<TOKEN_USER *>(buffer.data())->User.Sid);
    CloseHandle(token);
    return out;
}

// The SIDs that an allow ACE of the file's DACL grants anything to.
std::vector<std::string> granted_sids(const fs::path &file) {
    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    std::vector<std::string> sids;
    if (GetNamedSecurityInfoW(file.wstring().c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                              &dacl, nullptr, &descriptor) != ERROR_SUCCESS)
        return {"(no security info)"};
    if (!dacl) sids.push_back("(null DACL: everyone)");
    for (DWORD i = 0; dacl && i < dacl->AceCount; ++i) {
        void *ace = nullptr;
        if (GetAce(dacl, i, &ace) && static_cast<ACE_HEADER *>(ace)->AceType == ACCESS_ALLOWED_ACE_TYPE)
            sids.push_back(sid_string(&static_cast<ACCESS_ALLOWED_ACE *>(ace)->SidStart));
    }
    LocalFree(descriptor);
    return sids;
}

std::string joined(const std::vector<std::string> &v) {
    std::string out;
    for (const auto &s : v) out += s + " ";
    return out;
}

TEST(LogFileAcl, NewLogFileGrantsOnlyThisUserAndSystem) {
    const fs::path dir = fs::temp_directory_path() / ("onshi-logacl-" + std::to_string(GetCurrentProcessId()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string user = this_user_sid();
    ASSERT_FALSE(user.empty());

    // What the folder gives a file created the ordinary way: the comparison that shows the DACL
    // below is LogFile's doing.
    std::FILE *plain = std::fopen((dir / "plain.log").string().c_str(), "w");
    ASSERT_NE(plain, nullptr);
    std::fclose(plain);
    const auto plain_sids = granted_sids(dir / "plain.log");

    {
        onshi::LogFile log((dir / "onshi.log").string());
        ASSERT_TRUE(log.is_open());
        log.write("opened\n");
    }
    const auto sids = granted_sids(dir / "onshi.log");
    ASSERT_FALSE(sids.empty()) << "no allow ACE at all";
    bool user_granted = false;
    for (const auto &sid : sids) {
        EXPECT_TRUE(sid == user || sid == "S-1-5-18") << "the log file grants " << sid << " (this user: " << user
                                                      << "; an ordinary file here grants " << joined(plain_sids) << ")";
        user_granted = user_granted || sid == user;
    }
    EXPECT_TRUE(user_granted) << joined(sids);
    fs::remove_all(dir);
}

}  // namespace
