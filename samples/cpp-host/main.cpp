// onshi-cpp-host — the smallest useful host: list the card readers, run one eligibility check
// (資格確認) and print the result JSON. It shows the host SDK's future style.
//
//   onshi-cpp-host [--library PATH] [--config FILE] [--reader NAME] [--pin-stdin] [--visual]
//
//   --library PATH  the onshi library to load (default: the one this build produced)
//   --config FILE   a configuration JSON file (default: the built-in defaults)
//   --reader NAME   the reader to use (default: onshi picks the reader with a card)
//   --pin-stdin     read the 4-digit PIN from the first line of stdin before starting
//                   (e.g. `echo 1234 | onshi-cpp-host --pin-stdin` against the sandbox)
//   --visual        目視確認: no PIN; staff compared the patient with the card's face
//
// Without --pin-stdin the PIN is asked for when the card wants it (ONSHI_EVENT_PIN_NEEDED).
// A real receipt program shows its own PIN pad there; this sample reads a line from stdin.
//
// Exit status: 0 on success, 1 when the check failed, 2 on a usage or setup error.
#include <onshi/host_sdk.hpp>

#include <algorithm>
#include <fstream>
#include <future>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

namespace sdk = onshi::sdk;

namespace {

#ifdef ONSHI_SAMPLE_DEFAULT_LIBRARY
const char *const kDefaultLibrary = ONSHI_SAMPLE_DEFAULT_LIBRARY;
#else
const char *const kDefaultLibrary = sdk::default_library_name;
#endif

struct Options {
    std::string library = kDefaultLibrary;
    std::string config_file;
    std::string reader;
    bool pin_stdin = false;
    bool visual = false;
};

std::optional<Options> parse(int argc, char **argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::optional<std::string> {
            if (i + 1 < argc)
                return std::string(argv[++i]);
            std::cerr << arg << " needs a value\n";
            return std::nullopt;
        };
        if (arg == "--library" || arg == "--config" || arg == "--reader") {
            const auto v = value();
            if (!v)
                return std::nullopt;
            (arg == "--library" ? options.library
                                : arg == "--config" ? options.config_file : options.reader) = *v;
        } else if (arg == "--pin-stdin") {
            options.pin_stdin = true;
        } else if (arg == "--visual") {
            options.visual = true;
        } else {
            std::cerr << "usage: onshi-cpp-host [--library PATH] [--config FILE] [--reader NAME]"
                         " [--pin-stdin] [--visual]\n";
            return std::nullopt;
        }
    }
    return options;
}

// Minimal JSON string escaping for the reader name we put into the request.
std::string quoted(const std::string &text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20)
            out += c;
    }
    return out + "\"";
}

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

int main(int argc, char **argv) {
    const std::optional<Options> options = parse(argc, argv);
    if (!options)
        return 2;
    try {
        // 1. Load the library. The SDK refuses one whose ABI major differs from ours.
        sdk::Library library(options->library);
        std::cerr << "onshi " << library.version() << " (ABI " << (library.abi_version() >> 16)
                  << "." << (library.abi_version() & 0xFFFFu) << ") from " << options->library
                  << "\n";

        // 2. Open a context: it starts onshi's worker threads and the reader monitor.
        sdk::Context context = options->config_file.empty()
                                   ? sdk::Context(library)
                                   : sdk::Context(library, read_file(options->config_file));

        // 3. The readers the monitor sees right now. Without the PC/SC service onshi says so
        //    (ONSHI_E_PCSC_UNAVAILABLE); we go on, and the check below reports it as well.
        try {
            std::cout << "readers: " << context.list_readers() << "\n";
        } catch (const sdk::Error &e) {
            std::cerr << "readers: " << e.name() << ": " << e.message() << "\n";
        }

        // 4. One check. The PIN never goes into the request JSON: it has its own parameter.
        std::string request = std::string("{\"method\": ") + (options->visual ? "\"visual\"" : "\"pin\"");
        if (!options->reader.empty())
            request += ", \"reader\": " + quoted(options->reader);
        request += "}";

        std::string pin;
        if (options->pin_stdin && !options->visual)
            std::getline(std::cin, pin);

        // Called on an onshi thread when the card asks for the PIN (and no PIN was given).
        sdk::PinProvider ask_pin = [](const sdk::PinRequest &ask) -> std::optional<sdk::PinAnswer> {
            if (ask.previous_error != ONSHI_OK)
                std::cerr << "the PIN must be 4 digits\n";
            std::cerr << "PIN (" << ask.tries_left << " tries left; empty line cancels): ";
            std::string line;
            if (!std::getline(std::cin, line) || line.empty())
                return std::nullopt; // cancels the job
            // On the last try, a real host asks the patient explicitly before allowing it.
            return sdk::PinAnswer(line, /*allow_last=*/false);
        };

        std::future<sdk::Result> future = context.check_eligibility(request, pin, ask_pin);
        std::fill(pin.begin(), pin.end(), '\0'); // the SDK and onshi made their own wiped copies

        // 5. Wait for the outcome. A GUI host would poll the future from a timer or use the
        //    callback style (Context::start_check with JobHandlers) instead of blocking.
        try {
            const sdk::Result result = future.get();
            std::cout << result.json() << "\n";
            if (const auto insurer = result.field("InsurerNumber"))
                std::cerr << "InsurerNumber: " << *insurer << "\n";
            return 0;
        } catch (const sdk::JobError &e) {
            std::cerr << "check failed: " << e.name() << " (" << e.status() << "): " << e.message();
            if (e.tries_left() >= 0)
                std::cerr << " [" << e.tries_left() << " tries left]";
            std::cerr << "\n";
            if (!e.result_json().empty())
                std::cout << e.result_json() << "\n";
            return 1;
        }
    } catch (const sdk::Error &e) {
        std::cerr << e.name() << ": " << e.message() << "\n";
        return 2;
    } catch (const std::exception &e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
}
