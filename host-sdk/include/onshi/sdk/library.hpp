// onshi host SDK — loading the library. The host chooses the path (beside its own executable,
// from its settings, ...); Boost.DLL loads it, the ABI version is checked before anything else,
// then every entry point of the table in api_table.hpp is resolved once.
#ifndef ONSHI_SDK_LIBRARY_HPP
#define ONSHI_SDK_LIBRARY_HPP

#include <onshi/sdk/detail/loaded.hpp>
#include <onshi/sdk/error.hpp>
#include <onshi/sdk/result.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace onshi::sdk {

#define ONSHI_SDK_STRINGIFY_(x) #x
#define ONSHI_SDK_STRINGIFY(x) ONSHI_SDK_STRINGIFY_(x)

// The library's file name for this header's ABI major, for the system loader to find (in the
// system's library path, beside the executable on Windows): "libonshi.so.1" on Linux, "onshi.dll"
// on Windows. Hosts without a path of their own pass it to Library.
#if defined(_WIN32)
inline constexpr const char default_library_name[] = "onshi.dll";
#else
inline constexpr const char default_library_name[] = "libonshi.so." ONSHI_SDK_STRINGIFY(ONSHI_ABI_VERSION_MAJOR);
#endif

#undef ONSHI_SDK_STRINGIFY
#undef ONSHI_SDK_STRINGIFY_

// A loaded, version-checked onshi library. Cheap to copy (shared); thread-safe.
class Library {
public:
    // Loads the library at path (e.g. "C:/Program Files/Clinic/onshi.dll" or
    // "/opt/clinic/lib/libonshi.so.1"). Throws Error (ONSHI_E_NOT_SUPPORTED) when it cannot be
    // loaded, its ABI major differs from this header's, its minor is older, or an entry point
    // is missing.
    explicit Library(const std::filesystem::path &path) : loaded_(detail::load(path)) {}

    std::uint32_t abi_version() const noexcept { return loaded_->abi_version; }
    std::string version() const { return detail::safe(loaded_->api.onshi_version()); }
    const std::filesystem::path &path() const noexcept { return loaded_->path; }

    // "ONSHI_E_NO_CARD", and a generic message in "ja" (default) or "en".
    std::string status_name(onshi_status status) const {
        return detail::safe(loaded_->api.onshi_status_name(status));
    }
    std::string status_message(onshi_status status, const char *locale = "ja") const {
        return detail::safe(loaded_->api.onshi_status_message(status, locale));
    }

    // Parses an official result XML (OQSsiquc01res_*.xml, UTF-8 or Shift_JIS).
    Result result_from_xml(const void *xml, std::size_t size) const {
        onshi_result *raw = nullptr;
        detail::check(*loaded_, loaded_->api.onshi_result_from_xml(nullptr, xml, size, &raw),
                      nullptr);
        return Result(loaded_, raw, ONSHI_OK, 0);
    }

    // Maps the マイナ資格確認アプリ's result text (UTF-8) into the same result model (since 1.1).
    Result result_from_app_text(std::string_view text) const {
        onshi_result *raw = nullptr;
        detail::check(*loaded_, loaded_->api.onshi_result_from_app_text(nullptr, text.data(), text.size(), &raw),
                      nullptr);
        return Result(loaded_, raw, ONSHI_OK, 0);
    }

    // The raw entry points, for what the SDK does not wrap (poll_event, set_event_window).
    const detail::Api &api() const noexcept { return loaded_->api; }
    const std::shared_ptr<const detail::Loaded> &loaded() const noexcept { return loaded_; }

private:
    std::shared_ptr<const detail::Loaded> loaded_;
};

} // namespace onshi::sdk

#endif
