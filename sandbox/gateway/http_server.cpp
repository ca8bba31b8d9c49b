#include "gateway/http_server.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/bytes.h"

namespace sandbox::gateway {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

constexpr std::size_t kBodyLimit = 64 * 1024;
constexpr std::uint32_t kHeaderLimit = 8 * 1024;
// Fault mode oversized: twice the plugin's 1 MiB bound on an answer.
constexpr std::size_t kOversizedBody = 2 * 1024 * 1024;

struct Fault {
  std::string mode = "none";
  int ms = 0;
};

// A 200 confirmation whose official result says it was not processed (fault modes result-error:
// SegmentOfResult 9 with ErrorCode / ErrorMessage; processing-error: ProcessingResultStatus 2 with
// ProcessingResultCode / Message). The codes are placeholders: the real ones (別紙6-1) are not public.
std::string processing_failed(const std::string& body, bool whole_result) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  if (!d.IsObject() || !d.HasMember("result")) return body;
  auto& a = d.GetAllocator();
  auto& xml = d["result"]["XmlMsg"];
  const auto set = [&](rapidjson::Value& o, const char* k, const char* v) {
    if (o.HasMember(k)) o[k].SetString(v, a);
    else o.AddMember(rapidjson::Value(k, a), rapidjson::Value(v, a), a);
  };
  if (whole_result) {
    set(xml["MessageHeader"], "SegmentOfResult", "9");
    set(xml["MessageHeader"], "ErrorCode", "SBX9001");
    set(xml["MessageHeader"], "ErrorMessage", "資格確認システムで処理できませんでした（試験用の障害）");
    xml["MessageBody"].SetString("", a);
  } else {
    auto& b = xml["MessageBody"];
    set(b, "ProcessingResultStatus", "2");
    set(b, "ProcessingResultCode", "SBX2001");
    set(b, "ProcessingResultMessage", "該当者の資格情報を処理できませんでした（試験用の障害）");
    if (b.HasMember("ResultList")) b.RemoveMember("ResultList");
  }
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  d.Accept(w);
  return {sb.GetString(), sb.GetSize()};
}

// The per-server state every session shares (single I/O thread: no locking).
class Shared {
public:
  Shared(Service& service, const ServerOptions& o)
      : service_(service), options_(o), log_(o.dir + "/gateway/requests.jsonl", std::ios::app) {}

  Service& service() { return service_; }
  int net_delay_ms() const { return options_.net_delay_ms; }
  void set_clock_skew_s(std::int64_t s) {
    if (options_.clock_skew_s) options_.clock_skew_s->store(s);
  }
  // DIR/gateway/date.json {"days": N}, re-read for every request; 0 when absent.
  void load_date_offset() {
    if (!options_.date_offset_days) return;
    std::int64_t days = 0;
    const std::string path = options_.dir + "/gateway/date.json";
    if (file_exists(path)) {
      try {
        const Bytes b = read_file(path);
        rapidjson::Document d;
        d.Parse(reinterpret_cast<const char*>(b.data()), b.size());
        if (d.IsObject() && d.HasMember("days") && d["days"].IsInt()) days = d["days"].GetInt();
      } catch (const std::exception&) {
      }
    }
    options_.date_offset_days->store(days);
  }

  // DIR/gateway/fault.json, re-read for every request (it is tiny).
  Fault fault() const {
    Fault f;
    const std::string path = options_.dir + "/gateway/fault.json";
    if (!file_exists(path)) return f;
    try {
      const Bytes b = read_file(path);
      rapidjson::Document d;
      d.Parse(reinterpret_cast<const char*>(b.data()), b.size());
      if (d.IsObject() && d.HasMember("mode") && d["mode"].IsString()) f.mode = d["mode"].GetString();
      if (d.IsObject() && d.HasMember("ms") && d["ms"].IsInt()) f.ms = d["ms"].GetInt();
    } catch (const std::exception&) {
    }
    return f;
  }

  // One line per request: never the payload, the signature, names or numbers.
  void log(const std::string& method, const std::string& target, const std::string& terminal,
           int status, const std::string& error, const std::string& fault, long long ms) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char ts[64];
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
    w.StartObject();
    w.Key("time");
    w.String(ts);
    w.Key("method");
    w.String(method.substr(0, 16));
    w.Key("endpoint");
    w.String(target.substr(0, std::min(target.find('?'), std::size_t{128})));
    w.Key("terminal");
    if (terminal.empty()) w.Null();
    else w.String(terminal);
    w.Key("status");
    if (status == 0) w.Null();
    else w.Int(status);
    w.Key("error");
    if (error.empty()) w.Null();
    else w.String(error);
    if (fault != "none") {
      w.Key("fault");
      w.String(fault);
    }
    w.Key("ms");
    w.Int64(ms);
    w.EndObject();
    log_ << sb.GetString() << '\n';
    log_.flush();
  }

private:
  Service& service_;
  ServerOptions options_;
  std::ofstream log_;
};

class Session : public std::enable_shared_from_this<Session> {
public:
  Session(tcp::socket&& socket, ssl::context& ctx, Shared& shared)
      : stream_(std::move(socket), ctx), timer_(stream_.get_executor()), shared_(shared) {}

  void run() {
    beast::get_lowest_layer(stream_).expires_after(10s);
    stream_.async_handshake(ssl::stream_base::server,
                            beast::bind_front_handler(&Session::on_handshake, shared_from_this()));
  }

private:
  void on_handshake(beast::error_code ec) {
    if (ec) return;  // not TLS, wrong version, timeout: just drop the connection
    SSL* ssl = stream_.native_handle();
    if (X509* peer = SSL_get1_peer_certificate(ssl)) {
      client_.presented = true;
      client_.chain_ok = SSL_get_verify_result(ssl) == X509_V_OK;
      client_.serial_hex = serial_hex(peer);
      X509_free(peer);
    }
    read();
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    parser_->header_limit(kHeaderLimit);
    buffer_.max_size(kBodyLimit + kHeaderLimit + 4096);
    beast::get_lowest_layer(stream_).expires_after(30s);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    started_ = std::chrono::steady_clock::now();
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::eof ||
        ec == ssl::error::stream_truncated) {
      close();
      return;
    }
    if (ec) {
      if (ec.category() != http::make_error_code(http::error::end_of_stream).category()) {
        close();  // a socket or TLS error: nobody to answer
        return;
      }
      const bool too_large = ec == http::error::body_limit || ec == http::error::header_limit ||
                             ec == http::error::buffer_overflow;
      ApiResponse r = Service::error(400, "E_BAD_REQUEST",
                                     too_large ? "要求が大きすぎます（64KiBまで）" : "HTTP要求として読めません",
                                     too_large ? "Request too large (64 KiB at most)" : "Malformed HTTP request");
      shared_.log("?", "?", "", r.status, r.error_code, "none", 0);
      send(r, 11, false, 0);
      return;
    }
    http::request<http::string_body> req = parser_->release();
    const Fault fault = shared_.fault();
    const std::string method(req.method_string());
    const std::string target(req.target());
    if (fault.mode == "close" || fault.mode == "refuse") {  // refuse: the listener is closed too
      shared_.log(method, target, "", 0, "", fault.mode, 0);
      beast::error_code ignored;
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(stream_).socket().close(ignored);
      return;
    }
    if (fault.mode == "timeout") {  // accept, read, never answer (until the client gives up)
      shared_.log(method, target, "", 0, "", fault.mode, 0);
      beast::get_lowest_layer(stream_).expires_never();
      timer_.expires_after(10min);
      timer_.async_wait([self = shared_from_this()](beast::error_code) { self->hard_close(); });
      return;
    }
    shared_.set_clock_skew_s(fault.mode == "skew" ? fault.ms / 1000 : 0);
    shared_.load_date_offset();
    ApiRequest api{method, target, std::move(req.body()), client_};
    ApiResponse r = shared_.service().handle(api);
    if (fault.mode == "http500")
      r = Service::error(500, "E_INTERNAL", "ゲートウェイの内部エラーです（試験用の障害）",
                         "Gateway internal error (injected fault)");
    const bool malformed = fault.mode == "malformed";
    if (malformed) {
      r.status = 200;
      r.error_code.clear();
      r.body = "<html><body>this is not JSON (injected fault)</body></html>";
    }
    if ((fault.mode == "result-error" || fault.mode == "processing-error") && r.status == 200 &&
        target == "/v1/confirmations")
      r.body = processing_failed(r.body, fault.mode == "result-error");
    if (fault.mode == "oversized") {  // well-formed JSON, but far beyond what a client should take
      r.status = 200;
      r.error_code.clear();
      r.body = "{\"padding\":\"" + std::string(kOversizedBody, 'x') + "\"}";
    }
    const int delay = shared_.net_delay_ms() + (fault.mode == "slow" ? fault.ms : 0);
    const long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started_).count() + delay;
    shared_.log(method, target, r.terminal_id, r.status, r.error_code, fault.mode, ms);
    send(r, req.version(), req.keep_alive(), delay);
  }

  void send(const ApiResponse& r, unsigned version, bool keep_alive, int delay_ms) {
    res_.emplace(static_cast<http::status>(r.status), version);
    res_->set(http::field::server, "onshi-sandbox-gateway");
    res_->set(http::field::content_type, "application/json; charset=utf-8");
    res_->set(http::field::cache_control, "no-store");
    res_->keep_alive(keep_alive);
    res_->body() = r.body;
    res_->prepare_payload();
    if (delay_ms <= 0) {
      write();
      return;
    }
    beast::get_lowest_layer(stream_).expires_never();
    timer_.expires_after(std::chrono::milliseconds(delay_ms));
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->write();
    });
  }

  void write() {
    beast::get_lowest_layer(stream_).expires_after(30s);
    http::async_write(stream_, *res_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return;
    if (!res_->keep_alive()) {
      close();
      return;
    }
    res_.reset();
    read();
  }

  void close() {
    beast::get_lowest_layer(stream_).expires_after(2s);
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) { self->hard_close(); });
  }

  void hard_close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  net::steady_timer timer_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> res_;
  ClientIdentity client_;
  std::chrono::steady_clock::time_point started_;
};

// The TLS contexts a connection may get: the real one, or a broken one for the TLS fault modes
// (chosen when the connection is accepted, so a fault applies to new connections only).
struct TlsContexts {
  ssl::context& valid;
  ssl::context& wrong_host;
  ssl::context& expired;
  ssl::context& tls11;
  ssl::context& for_mode(const std::string& mode) {
    if (mode == "wrong-host-cert") return wrong_host;
    if (mode == "expired-cert") return expired;
    if (mode == "tls1.1") return tls11;
    return valid;
  }
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
  Listener(net::io_context& io, const TlsContexts& contexts, Shared& shared)
      : io_(io), contexts_(contexts), shared_(shared), acceptor_(io), watch_(io) {
    open(0);
  }
  int port() const { return port_; }
  void accept() {
    acceptor_.async_accept(net::make_strand(io_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }
  // Fault mode refuse closes the listening socket (connections are refused: the gateway is
  // down); any other mode opens it again on the same port. Checked every 20 ms.
  void watch() {
    watch_.expires_after(20ms);
    watch_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      const bool refuse = self->shared_.fault().mode == "refuse";
      beast::error_code ignored;
      if (refuse && self->acceptor_.is_open()) {
        self->acceptor_.close(ignored);
      } else if (!refuse && !self->acceptor_.is_open()) {
        try {
          self->open(self->port_);
          self->accept();
        } catch (const std::exception& e) {
          std::fprintf(stderr, "gateway: cannot listen again on port %d: %s\n", self->port_, e.what());
        }
      }
      self->watch();
    });
  }

private:
  void open(int port) {
    const tcp::endpoint ep(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(net::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
  }
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (!ec) std::make_shared<Session>(std::move(socket), contexts_.for_mode(shared_.fault().mode), shared_)->run();
    if (ec != net::error::operation_aborted && acceptor_.is_open()) accept();
  }

  net::io_context& io_;
  TlsContexts contexts_;
  Shared& shared_;
  tcp::acceptor acceptor_;
  net::steady_timer watch_;
  int port_ = 0;
};

// A server context with `cert_pem`; TLS 1.2+ unless `tls11_only` (fault mode tls1.1: at most
// TLS 1.1, OpenSSL security level 0 so that it can still be offered at all).
void configure_context(ssl::context& ctx, const std::string& cert_pem, const ServerOptions& o, bool tls11_only) {
  SSL_CTX* native = ctx.native_handle();
  if (tls11_only) {
    SSL_CTX_set_security_level(native, 0);
    SSL_CTX_set_min_proto_version(native, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(native, TLS1_1_VERSION);
    SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::single_dh_use);
  } else {
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  }
  ctx.use_certificate_chain(net::buffer(cert_pem));
  ctx.use_private_key(net::buffer(o.key_pem), ssl::context::pem);
  // Ask every client for a certificate of the terminal CA, but let the handshake succeed without
  // one (or with a bad one): the service answers 401 E_NOT_ENROLLED where one is needed.
  ctx.add_certificate_authority(net::buffer(o.terminal_ca->cert_pem));
  SSL_CTX_add_client_CA(native, o.terminal_ca->cert.get());
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.set_verify_callback([](bool, ssl::verify_context&) { return true; });
  static const unsigned char kSessionContext[] = "onshi-sandbox-gateway";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof kSessionContext - 1);
}

}  // namespace

void run_https_server(Service& service, const ServerOptions& o,
                      const std::function<void(int port)>& on_listening) {
  net::io_context io{1};
  ssl::context valid{ssl::context::tls_server}, wrong_host{ssl::context::tls_server},
      expired{ssl::context::tls_server}, tls11{ssl::context::tls_server};
  configure_context(valid, o.cert_pem, o, false);
  configure_context(wrong_host, o.wrong_host_cert_pem.empty() ? o.cert_pem : o.wrong_host_cert_pem, o, false);
  configure_context(expired, o.expired_cert_pem.empty() ? o.cert_pem : o.expired_cert_pem, o, false);
  configure_context(tls11, o.cert_pem, o, true);

  Shared shared(service, o);
  auto listener = std::make_shared<Listener>(io, TlsContexts{valid, wrong_host, expired, tls11}, shared);
  listener->accept();
  listener->watch();
  net::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](beast::error_code, int) { io.stop(); });
  on_listening(listener->port());
  io.run();
}

}  // namespace sandbox::gateway
