// onshi host SDK — internal: the loaded library shared by Library, Context and Result, and the
// one function that loads it (version check first, then every entry point of api_table.hpp).
#ifndef ONSHI_SDK_DETAIL_LOADED_HPP
#define ONSHI_SDK_DETAIL_LOADED_HPP

#ifndef BOOST_DLL_USE_STD_FS
#define BOOST_DLL_USE_STD_FS // std::filesystem instead of Boost.Filesystem: stays header-only
#endif
#include <boost/dll/shared_library.hpp>

#include <onshi/sdk/api_table.hpp>
#include <onshi/sdk/error.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <type_traits>

namespace onshi::sdk {

namespace detail {

// The loaded library and its entry points. Shared (shared_ptr) by every object that calls into
// the library, so that it is unloaded only after the last Context and Result are gone.
struct Loaded {
    boost::dll::shared_library library;
    Api api;
    std::filesystem::path path;
    std::uint32_t abi_version = 0;
};

inline std::string version_text(std::uint32_t version) {
    return std::to_string(version >> 16) + "." + std::to_string(version & 0xFFFFu);
}

inline std::string safe(const char *text) { return text ? std::string(text) : std::string(); }

// Throws Error for a failed status; the message is onshi_last_error for that context (or for
// "no context"), falling back to the generic status message.
inline void check(const Loaded &lib, onshi_status status, const onshi_context *context) {
    if (status == ONSHI_OK)
        return;
    std::string message = safe(lib.api.onshi_last_error(context));
    if (message.empty())
        message = safe(lib.api.onshi_status_message(status, nullptr));
    throw Error(status, safe(lib.api.onshi_status_name(status)), message);
}

inline std::shared_ptr<const Loaded> load(const std::filesystem::path &path) {
    auto loaded = std::make_shared<Loaded>();
    loaded->path = path;
    const std::string where = "'" + path.string() + "'";

    boost::dll::fs::error_code ec;
    // A bare file name ("libonshi.so.1", "onshi.dll") is looked up the way the system loader does
    // (the executable's RUNPATH, LD_LIBRARY_PATH, the system's library path; on Windows the .exe's
    // folder first); a path with a folder is loaded from exactly there.
    const auto mode = path.has_parent_path() ? boost::dll::load_mode::default_mode
                                             : boost::dll::load_mode::search_system_folders;
    loaded->library.load(boost::dll::fs::path(path.native()), mode, ec);
    if (ec) {
        std::error_code exists_ec;
        const bool exists = std::filesystem::exists(path, exists_ec);
        throw Error(ONSHI_E_NOT_SUPPORTED, "ONSHI_E_NOT_SUPPORTED",
                    "cannot load the onshi library " + where +
                        (exists ? ": " + ec.message() + " (wrong architecture or a missing "
                                                        "dependency?)"
                                : ": no such file"));
    }

    // Typed look-up: a missing symbol is a clear Error, not a crash at the first call.
    const auto resolve = [&](auto &pointer, const char *name) {
        using Function = std::remove_pointer_t<std::remove_reference_t<decltype(pointer)>>;
        if (!loaded->library.has(name))
            throw Error(ONSHI_E_NOT_SUPPORTED, "ONSHI_E_NOT_SUPPORTED",
                        std::string("the onshi library ") + where + " does not export " + name);
        pointer = &loaded->library.get<Function>(name);
    };

    // 1. The version, before anything else: a library of another major may differ in every
    //    other function, so nothing else is even looked up.
    resolve(loaded->api.onshi_abi_version, "onshi_abi_version");
    loaded->abi_version = loaded->api.onshi_abi_version();
    // Same major, and (the major being equal) a minor at least the header's.
    const std::uint32_t header = ONSHI_ABI_VERSION;
    if ((loaded->abi_version >> 16) != (header >> 16) || loaded->abi_version < header)
        throw Error(ONSHI_E_NOT_SUPPORTED, "ONSHI_E_NOT_SUPPORTED",
                    "the onshi library " + where + " implements ABI " +
                        version_text(loaded->abi_version) +
                        " but this host was built for ABI " + version_text(ONSHI_ABI_VERSION) +
                        " (the major must be equal and the minor at least as new)");

    // 2. Every entry point of ABI major.minor, once.
#define ONSHI_SDK_RESOLVE(name) resolve(loaded->api.name, #name);
    ONSHI_SDK_FOR_EACH_FUNCTION(ONSHI_SDK_RESOLVE)
#undef ONSHI_SDK_RESOLVE
    return loaded;
}

} // namespace detail

} // namespace onshi::sdk

#endif
