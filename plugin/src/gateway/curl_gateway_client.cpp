#include "gateway/curl_gateway_client.h"

#include "gateway/error_mapping.h"
#include "util/digest.h"
#include "util/error.h"

#include <curl/curl.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>

namespace onshi::gateway {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxIdleSessions = 8;

// How long after a successful transfer a pooled connection counts as open, so that warm_up() sends
// no GET /v1/health (that round trip would otherwise delay the confirmation when the card phase is
// quicker than it). Servers close idle connections: the reference gateway after 30 s, proxies and
// load balancers often after 60 s. 20 s stays below that and leaves about 10 s for the card phase
// between warm_up() and confirm(). Should the server close it anyway, libcurl sees the closed
// connection before sending and the confirmation goes out on a new one, only slower; a close that
// races the send itself ends the check with ONSHI_E_NETWORK, never with a second copy of the
// confirmation (the resend rule in exchange()).
constexpr std::chrono::seconds kWarmWindow{20};

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw Error(ONSHI_E_INTERNAL, {"curl_global_init failed", "curl_global_init に失敗しました"});
    });
}

template <typename T>
void setopt(CURL *easy, CURLoption option, T value) {
    CURLcode rc = curl_easy_setopt(easy, option, value);
    if (rc != CURLE_OK)
        throw Error(rc == CURLE_OUT_OF_MEMORY ? ONSHI_E_NO_MEMORY : ONSHI_E_INTERNAL,
                    {std::string("curl option ") + std::to_string(static_cast<int>(option)) + ": " + curl_easy_strerror(rc),
                     std::string("curl オプション ") + std::to_string(static_cast<int>(option)) + ": " + curl_easy_strerror(rc)});
}

std::string identity_key(const ClientIdentity *identity) {
    if (!identity) return {};
    auto digest = sha256(identity->certificate_pem);
    return std::string(reinterpret_cast<const char *>(digest.data()), digest.size());
}

// The body of a request, handed to libcurl through the read callback so that we know whether any
// of it left our hands (the resend rule).
struct Upload {
    const std::uint8_t *data = nullptr;
    std::size_t size = 0;
    std::size_t offset = 0;
    std::size_t handed = 0;  // high-water mark of bytes given to libcurl
};

size_t read_body(char *buffer, size_t size, size_t count, void *user) {
    auto *up = static_cast<Upload *>(user);
    std::size_t n = std::min(size * count, up->size - up->offset);
    std::memcpy(buffer, up->data + up->offset, n);
    up->offset += n;
    up->handed = std::max(up->handed, up->offset);
    return n;
}

// libcurl rewinds the body when it wants to send the request again by itself (a reused connection
// that turned out dead). Allowed only while the whole body cannot have reached the server: once
// all of it was handed over, a resend could duplicate a signed confirmation (or an enrollment,
// which takes a terminal slot), so the transfer fails instead (CURLE_SEND_FAIL_REWIND).
int seek_body(void *user, curl_off_t offset, int origin) {
    auto *up = static_cast<Upload *>(user);
    if (origin != SEEK_SET || offset != 0) return CURL_SEEKFUNC_CANTSEEK;
    if (up->handed >= up->size && up->size > 0) return CURL_SEEKFUNC_FAIL;
    up->offset = 0;
    return CURL_SEEKFUNC_OK;
}

struct Download {
    std::string body;
    bool too_large = false;
};

size_t write_body(char *data, size_t size, size_t count, void *user) {
    auto *down = static_cast<Download *>(user);
    std::size_t n = size * count;
    if (down->body.size() + n > kMaxResponseBytes) {
        down->too_large = true;
        return 0;  // CURLE_WRITE_ERROR
    }
    down->body.append(data, n);
    return n;
}

// A key that lives in a TPM: libcurl cannot load it from PEM, so the certificate and the key object
// go into each TLS context libcurl makes (after its own setup, before the handshake).
struct KeyObject {
    std::string certificate_pem;
    std::shared_ptr<EVP_PKEY> key;
};

CURLcode use_key_object(CURL *, void *ssl_ctx, void *user) {
    const auto *identity = static_cast<const KeyObject *>(user);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(identity->certificate_pem.data(), static_cast<int>(identity->certificate_pem.size())), BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr,
                                                     X509_free);
    auto *ctx = static_cast<SSL_CTX *>(ssl_ctx);
    if (!cert || SSL_CTX_use_certificate(ctx, cert.get()) != 1 ||
        SSL_CTX_use_PrivateKey(ctx, identity->key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1)
        return CURLE_SSL_CERTPROBLEM;
    return CURLE_OK;
}

}  // namespace

// One multi handle + one easy handle with the options that never change; the multi handle's
// connection cache keeps the TLS connection between transfers.
class CurlGatewayClient::Session {
public:
    Session(const GatewayConfig &config, const ClientIdentity *identity) : key_(identity_key(identity)) {
        multi_ = curl_multi_init();
        easy_ = curl_easy_init();
        if (!multi_ || !easy_) {
            cleanup();
            throw Error(ONSHI_E_NO_MEMORY, {"cannot create a curl handle", "curl ハンドルを作成できません"});
        }
        try {
            curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 2L);
            setopt(easy_, CURLOPT_NOSIGNAL, 1L);
            setopt(easy_, CURLOPT_ERRORBUFFER, error_);
            setopt(easy_, CURLOPT_PROTOCOLS_STR, "https");
            setopt(easy_, CURLOPT_REDIR_PROTOCOLS_STR, "https");
            setopt(easy_, CURLOPT_FOLLOWLOCATION, 0L);
            // TLS: 1.2 or newer, the configured CA only (no system store), peer and host checked.
            setopt(easy_, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
            setopt(easy_, CURLOPT_SSL_VERIFYPEER, 1L);
            setopt(easy_, CURLOPT_SSL_VERIFYHOST, 2L);
            setopt(easy_, CURLOPT_CAINFO, config.ca_file.c_str());
            setopt(easy_, CURLOPT_CAPATH, static_cast<const char *>(nullptr));
            if (!config.pin_sha256.empty()) {
                std::string pin = "sha256//" + config.pin_sha256;
                setopt(easy_, CURLOPT_PINNEDPUBLICKEY, pin.c_str());
            }
            setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(config.timeout.count()));
            setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config.connect_timeout.count()));
            setopt(easy_, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxResponseBytes));
            setopt(easy_, CURLOPT_TCP_KEEPALIVE, 1L);
            setopt(easy_, CURLOPT_WRITEFUNCTION, write_body);
            setopt(easy_, CURLOPT_READFUNCTION, read_body);
            setopt(easy_, CURLOPT_SEEKFUNCTION, seek_body);
            setopt(easy_, CURLOPT_USERAGENT, "onshi-gateway-client/1");
            if (identity && identity->tls_key) {
                key_object_ = {identity->certificate_pem, identity->tls_key};  // read for every new connection
                setopt(easy_, CURLOPT_SSL_CTX_FUNCTION, use_key_object);
                setopt(easy_, CURLOPT_SSL_CTX_DATA, static_cast<void *>(&key_object_));
            } else if (identity) {
                // Mutual TLS from memory: the key never touches a temporary file. NOCOPY: libcurl
                // reads our buffers (wiped when the session ends) instead of keeping its own copy.
                cert_ = identity->certificate_pem;
                key_pem_ = SecureBuffer(identity->key_pem.data(), identity->key_pem.size());
                curl_blob cert{cert_.data(), cert_.size(), CURL_BLOB_NOCOPY};
                curl_blob key{const_cast<std::uint8_t *>(key_pem_.data()), key_pem_.size(), CURL_BLOB_NOCOPY};
                setopt(easy_, CURLOPT_SSLCERTTYPE, "PEM");
                setopt(easy_, CURLOPT_SSLCERT_BLOB, &cert);
                setopt(easy_, CURLOPT_SSLKEYTYPE, "PEM");
                setopt(easy_, CURLOPT_SSLKEY_BLOB, &key);
            }
        } catch (...) {
            cleanup();
            throw;
        }
    }
    ~Session() { cleanup(); }
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    const std::string &key() const { return key_; }
    // A transfer on this session succeeded at `at`: its connection was alive then.
    void mark_ok(SteadyClock::time_point at) {
        last_ok_ = at;
        reserved_.reset();
    }
    bool warm_at(SteadyClock::time_point now) const { return last_ok_ && now - *last_ok_ < kWarmWindow; }
    // A warm-up counts on this session for its check's confirmation (until a transfer takes it or
    // the window ends).
    void reserve(SteadyClock::time_point at) { reserved_ = at; }
    bool reserved_at(SteadyClock::time_point now) const { return reserved_ && now - *reserved_ < kWarmWindow; }
    CURL *easy() const { return easy_; }
    CURLM *multi() const { return multi_; }
    const char *error_text() const { return error_; }
    void clear_error() { error_[0] = '\0'; }

private:
    void cleanup() {
        if (easy_) curl_easy_cleanup(easy_);
        if (multi_) curl_multi_cleanup(multi_);
        easy_ = nullptr;
        multi_ = nullptr;
        key_pem_.wipe();
    }

    std::string key_;
    std::optional<SteadyClock::time_point> last_ok_, reserved_;
    CURLM *multi_ = nullptr;
    CURL *easy_ = nullptr;
    std::string cert_;
    SecureBuffer key_pem_;
    KeyObject key_object_;
    char error_[CURL_ERROR_SIZE] = {};
};

struct CurlGatewayClient::Request {
    const char *path;                // "/v1/confirmations"
    const char *name;                // for messages: "confirmation"
    const std::uint8_t *body = nullptr;  // POST when set
    std::size_t body_size = 0;
    bool warm_up = false;                // see acquire()
    const char *method = nullptr;        // "PUT", "DELETE"; nullptr: POST with a body, else GET
    bool once = false;                   // a fresh connection, and never sent a second time
};

struct CurlGatewayClient::Outcome {
    CURLcode code = CURLE_OK;
    long http = 0;
    long connects = 0;
    bool reused = false;
    std::size_t handed = 0;
    curl_off_t uploaded = 0;
    Download download;
    std::string error_text;
};

namespace {

// Runs one transfer on the session's multi handle until done, failed or cancelled.
CURLcode run_transfer(CURL *easy, CURLM *multi, CancelToken &cancel) {
    if (curl_multi_add_handle(multi, easy) != CURLM_OK) return CURLE_FAILED_INIT;
    cancel.set_waker([multi] { curl_multi_wakeup(multi); });
    CURLcode result = CURLE_OK;
    for (;;) {
        int running = 0;
        CURLMcode mc = curl_multi_perform(multi, &running);
        if (mc != CURLM_OK) {
            result = mc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_FAILED_INIT;
            break;
        }
        bool done = false;
        int queued = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy) {
                result = msg->data.result;
                done = true;
            }
        }
        if (done) break;
        if (cancel.cancelled()) {
            result = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (curl_multi_poll(multi, nullptr, 0, 1000, nullptr) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
    }
    cancel.set_waker(nullptr);
    curl_multi_remove_handle(multi, easy);
    return result;
}

}  // namespace

CurlGatewayClient::CurlGatewayClient(GatewayConfig config) : config_(std::move(config)) { global_init(); }

CurlGatewayClient::~CurlGatewayClient() = default;

void CurlGatewayClient::set_log_sink(LogSink sink) {
    std::lock_guard lock(log_mutex_);
    log_ = std::move(sink);
}

void CurlGatewayClient::log(LogLevel level, const std::string &message) {
    std::lock_guard lock(log_mutex_);
    if (log_) log_(level, message);
}

bool CurlGatewayClient::reserve_warm_session(const ClientIdentity &identity) {
    const std::string key = identity_key(&identity);
    const auto now = SteadyClock::now();
    std::lock_guard lock(pool_mutex_);
    for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
        Session &s = **it;
        if (s.key() == key && s.warm_at(now) && !s.reserved_at(now)) {
            s.reserve(now);
            return true;
        }
    }
    return false;
}

std::unique_ptr<CurlGatewayClient::Session> CurlGatewayClient::acquire(const ClientIdentity *identity, bool for_warm_up) {
    std::string key = identity_key(identity);
    const auto now = SteadyClock::now();
    {
        std::lock_guard lock(pool_mutex_);
        // Most recently used first: that is the one whose connection is warm. A warm-up leaves the
        // sessions that other checks' warm-ups reserved, so that concurrent checks each find one.
        for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
            if ((*it)->key() == key && !(for_warm_up && (*it)->reserved_at(now))) {
                std::unique_ptr<Session> s = std::move(*it);
                idle_.erase(std::next(it).base());
                return s;
            }
        }
        // A new terminal identity (re-enrollment) makes sessions of an older one useless.
        if (!key.empty())
            std::erase_if(idle_, [&](const auto &s) { return !s->key().empty() && s->key() != key; });
    }
    return std::make_unique<Session>(config_, identity);
}

void CurlGatewayClient::release(std::unique_ptr<Session> session) {
    std::unique_ptr<Session> evicted;
    std::lock_guard lock(pool_mutex_);
    idle_.push_back(std::move(session));
    if (idle_.size() > kMaxIdleSessions) {
        evicted = std::move(idle_.front());
        idle_.erase(idle_.begin());
    }
}

std::string CurlGatewayClient::exchange(const Request &request, const ClientIdentity *identity, CancelToken &cancel) {
    const std::string endpoint = config_.endpoint(request.path);
    transfer_timeout(request, endpoint, cancel);  // no time left: throws before a (warm) session is taken
    std::unique_ptr<Session> session = acquire(identity, request.warm_up);
    curl_slist *headers = nullptr;
    headers = curl_slist_append(headers, "Accept: application/json");
    if (request.body) headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    std::unique_ptr<curl_slist, void (*)(curl_slist *)> header_guard(headers, curl_slist_free_all);
    if (!headers) throw Error(ONSHI_E_NO_MEMORY, {});

    Outcome out;
    for (int attempt = 0;; ++attempt) {
        CURL *easy = session->easy();
        Upload upload{request.body, request.body_size};
        out = Outcome{};
        session->clear_error();
        setopt(easy, CURLOPT_URL, endpoint.c_str());
        setopt(easy, CURLOPT_HTTPHEADER, headers);
        setopt(easy, CURLOPT_WRITEDATA, static_cast<void *>(&out.download));
        setopt(easy, CURLOPT_READDATA, static_cast<void *>(&upload));
        setopt(easy, CURLOPT_SEEKDATA, static_cast<void *>(&upload));
        setopt(easy, CURLOPT_FRESH_CONNECT, attempt > 0 || request.once ? 1L : 0L);
        setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(transfer_timeout(request, endpoint, cancel).count()));
        if (request.body) {
            setopt(easy, CURLOPT_POST, 1L);
            setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body_size));
        } else {
            setopt(easy, CURLOPT_HTTPGET, 1L);
        }
        // The handle keeps options between transfers: always set (or clear) the method.
        setopt(easy, CURLOPT_CUSTOMREQUEST, request.method);
        out.code = run_transfer(easy, session->multi(), cancel);
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &out.http);
        curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &out.connects);
        curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &out.uploaded);
        out.handed = upload.handed;
        out.error_text = session->error_text();
        transfers_.fetch_add(1);
        // What went where and how it ended; never a header or a body (they hold the signature,
        // the setup password, the result with the patient's data).
        log(LogLevel::debug, std::string("gateway: ") + request.name + ": " +
                                 (request.method ? request.method : request.body ? "POST" : "GET") + " " +
                                 request.path + " -> curl " + std::to_string(static_cast<int>(out.code)) + ", HTTP " +
                                 std::to_string(out.http) + ", " + std::to_string(request.body_size) + " bytes sent, " +
                                 std::to_string(out.download.body.size()) + " received");
        if (out.connects > 0) {
            long total = connections_.fetch_add(out.connects) + out.connects;
            log(LogLevel::info, "gateway: TLS connection opened to " + config_.url + " (connections so far: " +
                                    std::to_string(total) + ")");
        }
        // The resend rule: only a connection failure, and only when the server cannot have the
        // whole body (none of it left our hands, or libcurl wrote less than all of it). Never after
        // CURLE_SEND_FAIL_REWIND: libcurl had written the whole request on a reused connection that
        // then died without an answer (the server may have read it), and `uploaded` counts only
        // the second try that seek_body stopped, not the first.
        bool broken = out.code == CURLE_SEND_ERROR || out.code == CURLE_RECV_ERROR || out.code == CURLE_GOT_NOTHING;
        bool unsent = request.body == nullptr || out.handed == 0 ||
                      (out.uploaded >= 0 && static_cast<std::size_t>(out.uploaded) < request.body_size);
        if (attempt == 0 && broken && unsent && !request.once && !cancel.cancelled()) {
            log(LogLevel::info, std::string("gateway: ") + request.name +
                                    ": the connection failed before the request was sent; trying once on a new connection");
            continue;
        }
        break;
    }
    // A session whose transfer failed may hold a half-dead connection: drop it.
    if (out.code == CURLE_OK) {
        session->mark_ok(SteadyClock::now());
        release(std::move(session));
    } else {
        session.reset();
    }

    if (out.code == CURLE_ABORTED_BY_CALLBACK) throw Error(ONSHI_E_CANCELLED, {});
    if (out.code == CURLE_WRITE_ERROR && out.download.too_large)
        throw Error(ONSHI_E_GATEWAY_PROTOCOL, {endpoint + ": the answer is larger than 1 MiB",
                                               endpoint + ": 応答が1MiBを超えています"});
    if (out.code == CURLE_SEND_FAIL_REWIND)
        throw Error(ONSHI_E_NETWORK,
                    {endpoint + ": the connection broke after the " + request.name +
                         " was sent; it was not sent again (a new check is safe)",
                     endpoint + ": 要求の送信後に接続が切れました。再送はしていません(もう一度確認してください)"});
    if (out.code != CURLE_OK) throw error_from_curl(out.code, out.error_text, endpoint);
    if (out.http < 200 || out.http > 299) throw error_from_http(out.http, out.download.body, endpoint);
    return std::move(out.download.body);
}

std::chrono::milliseconds CurlGatewayClient::transfer_timeout(const Request &request, const std::string &endpoint,
                                                             const CancelToken &cancel) const {
    const std::optional<SteadyClock::time_point> deadline = cancel.deadline();
    if (!deadline) return config_.timeout;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - SteadyClock::now());
    // Less than a millisecond left: CURLOPT_TIMEOUT_MS 0 would mean no timeout at all.
    if (left < std::chrono::milliseconds(1))
        throw Error(ONSHI_E_GATEWAY_TIMEOUT,
                    {endpoint + ": timed out: the " + request.name + " was not sent, no time was left of timeout_ms (" +
                         std::to_string(config_.timeout.count()) + " ms)",
                     endpoint + ": タイムアウトしました。timeout_ms(" + std::to_string(config_.timeout.count()) +
                         " ミリ秒)の残りがないため送信していません"});
    return std::min(config_.timeout, left);
}

void CurlGatewayClient::warm_up(const ClientIdentity &identity, CancelToken &cancel) noexcept {
    try {
        if (reserve_warm_session(identity)) {
            log(LogLevel::debug, "gateway: warm-up: a connection used in the last " + std::to_string(kWarmWindow.count()) +
                                     " s is open; no health check");
            return;
        }
        std::string body = exchange({"/v1/health", "health check", nullptr, 0, true}, &identity, cancel);
        parse_health_response(body);
    } catch (const Error &e) {
        log(LogLevel::info, "gateway: warm-up failed (" + std::to_string(e.status()) + "); the check will report it");
    } catch (...) {
        log(LogLevel::warn, "gateway: warm-up failed");
    }
}

ConfirmationResponse CurlGatewayClient::confirm(const ConfirmationRequest &request, const ClientIdentity &identity,
                                                CancelToken &cancel) {
    std::string body = build_confirmation_body(request);
    std::string answer = exchange({"/v1/confirmations", "confirmation", reinterpret_cast<const std::uint8_t *>(body.data()),
                                   body.size()},
                                  &identity, cancel);
    return parse_confirmation_response(answer);
}

EnrollmentResponse CurlGatewayClient::enroll(const EnrollmentRequest &request, CancelToken &cancel) {
    SecureBuffer body = build_enrollment_body(request);
    // A session of its own (no client certificate); dropped with its connection afterwards, so the
    // anonymous connection is not kept.
    std::string answer = exchange({"/v1/terminals", "enrollment", body.data(), body.size()}, nullptr, cancel);
    {
        std::lock_guard lock(pool_mutex_);
        std::erase_if(idle_, [](const auto &s) { return s->key().empty(); });
    }
    return parse_enrollment_response(answer);
}

std::string CurlGatewayClient::status(const ClientIdentity &identity, CancelToken &cancel) {
    return parse_status_response(exchange({"/v1/terminals/self", "status request"}, &identity, cancel));
}

std::string CurlGatewayClient::set_planned_end(const std::optional<std::string> &date, const ClientIdentity &identity,
                                               CancelToken &cancel) {
    if (!date)
        return parse_status_response(exchange({"/v1/terminals/self/planned-end", "planned end cancellation", nullptr, 0,
                                               false, "DELETE"},
                                              &identity, cancel));
    std::string body = build_planned_end_body(*date);
    return parse_status_response(exchange({"/v1/terminals/self/planned-end", "planned end date",
                                           reinterpret_cast<const std::uint8_t *>(body.data()), body.size(), false, "PUT"},
                                          &identity, cancel));
}

EndOfUseResponse CurlGatewayClient::end_use(const ClientIdentity &identity, CancelToken &cancel) {
    std::string answer = exchange({"/v1/terminals/self", "end of use", nullptr, 0, false, "DELETE", true}, &identity, cancel);
    // The terminal's certificate no longer opens anything: drop its connections.
    {
        const std::string key = identity_key(&identity);
        std::lock_guard lock(pool_mutex_);
        std::erase_if(idle_, [&](const auto &s) { return s->key() == key; });
    }
    return parse_end_of_use_response(answer);
}

EnrollmentResponse CurlGatewayClient::renew(const RenewalRequest &request, const ClientIdentity &identity,
                                            CancelToken &cancel) {
    std::string body = build_renewal_body(request);
    std::string answer = exchange({"/v1/terminals/self/renewal", "certificate renewal",
                                   reinterpret_cast<const std::uint8_t *>(body.data()), body.size(), false, nullptr, true},
                                  &identity, cancel);
    {
        const std::string key = identity_key(&identity);
        std::lock_guard lock(pool_mutex_);
        std::erase_if(idle_, [&](const auto &s) { return s->key() == key; });
    }
    return parse_renewal_response(answer);
}

}  // namespace onshi::gateway
