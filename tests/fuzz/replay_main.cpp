// The fuzz targets without libFuzzer: feeds every file named on the command line (or found in a
// directory named there) to LLVMFuzzerTestOneInput once. The gcc trees (default, asan, tsan) run
// the seed corpora and the regression inputs through it as ctest tests, so a crash found once stays
// fixed in every build, sanitizers or not.
#include "fuzz_target.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> inputs_under(const fs::path &arg) {
    std::vector<fs::path> files;
    if (fs::is_directory(arg)) {
        for (const auto &entry : fs::directory_iterator(arg))
            if (entry.is_regular_file() && entry.path().filename().string().front() != '.')
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());  // the same order every run
    } else if (fs::is_regular_file(arg)) {
        files.push_back(arg);
    }
    return files;
}

}  // namespace

int main(int argc, char **argv) {
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i) {
        for (const fs::path &file : inputs_under(argv[i])) {
            std::ifstream in(file, std::ios::binary);
            const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            std::fprintf(stderr, "replay %s (%zu bytes)\n", file.c_str(), bytes.size());
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
            ++replayed;
        }
    }
    std::printf("replayed %zu inputs\n", replayed);
    // A target whose seed corpus went missing would otherwise pass without testing anything.
    return replayed > 0 ? 0 : 1;
}
