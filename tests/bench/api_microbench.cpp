// onshi_api_microbench (Google Benchmark): ABI calls that need no card and no gateway, in a tight
// loop, for their steady-state cost on the calling thread; the per-call distribution under real
// checks is onshi_host_calls_bench's. scripts/bench.sh prints them as gbench_<name>_ns.
//   PollEventIdle          onshi_poll_event(timeout 0) on a context with nothing queued
//   ListReadersNoPcsc      onshi_list_readers answering "no PC/SC" (pcsc.enabled false)
//   JobRoundTrip           submit, wait for the final event (the job fails at once: no terminal is
//                          enrolled), release: the hand-off to a worker and back
//   ResultFromXml          onshi_result_from_xml of an official 資格確認結果 XML, then free
//   ResultField            onshi_result_field on that result
#include <onshi/onshi.h>

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

constexpr const char *kConfig = R"({"locale":"en","pcsc":{"enabled":false}})";

struct Context {
    onshi_context *ctx = nullptr;
    Context() { onshi_open(kConfig, &ctx); }
    ~Context() { onshi_close(ctx); }
};

std::string xml_sample() {
    std::ifstream in(std::string(ONSHI_TEST_XML_DIR) + "/kourei70_shiftjis.xml", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void PollEventIdle(benchmark::State &state) {
    Context c;
    onshi_event e{};
    e.struct_size = sizeof e;
    for (auto _ : state) benchmark::DoNotOptimize(onshi_poll_event(c.ctx, 0, &e));
}
BENCHMARK(PollEventIdle);

void ListReadersNoPcsc(benchmark::State &state) {
    Context c;
    char *json = nullptr;
    for (auto _ : state) benchmark::DoNotOptimize(onshi_list_readers(c.ctx, &json));
}
BENCHMARK(ListReadersNoPcsc);

void JobRoundTrip(benchmark::State &state) {
    Context c;
    onshi_event e{};
    e.struct_size = sizeof e;
    for (auto _ : state) {
        onshi_job_id job = 0;
        if (onshi_check_eligibility(c.ctx, R"({"method":"visual"})", nullptr, &job) != ONSHI_OK) {
            state.SkipWithError("onshi_check_eligibility failed");
            break;
        }
        onshi_status st = ONSHI_OK;
        onshi_job_wait(c.ctx, job, 10000, &st);
        onshi_job_release(c.ctx, job);
        while (onshi_poll_event(c.ctx, 0, &e) == ONSHI_OK) {
        }
    }
}
BENCHMARK(JobRoundTrip)->UseRealTime();

void ResultFromXml(benchmark::State &state) {
    const std::string xml = xml_sample();
    for (auto _ : state) {
        onshi_result *r = nullptr;
        if (onshi_result_from_xml(nullptr, xml.data(), xml.size(), &r) != ONSHI_OK) {
            state.SkipWithError("the XML sample did not parse");
            break;
        }
        onshi_result_free(r);
    }
}
BENCHMARK(ResultFromXml);

void ResultField(benchmark::State &state) {
    const std::string xml = xml_sample();
    onshi_result *r = nullptr;
    if (onshi_result_from_xml(nullptr, xml.data(), xml.size(), &r) != ONSHI_OK) {
        state.SkipWithError("the XML sample did not parse");
        return;
    }
    const char *value = nullptr;
    for (auto _ : state) benchmark::DoNotOptimize(onshi_result_field(r, "InsurerNumber", 0, &value));
    onshi_result_free(r);
}
BENCHMARK(ResultField);

}  // namespace

BENCHMARK_MAIN();
