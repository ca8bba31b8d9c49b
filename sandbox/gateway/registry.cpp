#include "gateway/registry.h"

#include <cstdio>
#include <ctime>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sqlite3.h>

#include "common/bytes.h"
#include "gateway/gateway_pki.h"

namespace sandbox::gateway {

namespace {

constexpr const char* kSchema = R"SQL(
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS facilities (
  code              TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  terminals_allowed INTEGER NOT NULL CHECK (terminals_allowed >= 0),
  enrollment_id     TEXT NOT NULL,
  password_salt     TEXT NOT NULL,
  password_sha256   TEXT NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS terminals (
  terminal_id       TEXT PRIMARY KEY,
  facility_code     TEXT NOT NULL REFERENCES facilities(code),
  seq               INTEGER NOT NULL,
  terminal_name     TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended', 'revoked')),
  enrolled_at       INTEGER NOT NULL,
  planned_end_date  TEXT,
  ended_at          INTEGER,
  UNIQUE (facility_code, seq)
);
CREATE TABLE IF NOT EXISTS terminal_certificates (
  serial            TEXT PRIMARY KEY,
  terminal_id       TEXT NOT NULL REFERENCES terminals(terminal_id),
  pem               TEXT NOT NULL,
  issued_at         INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  expires_at_iso    TEXT NOT NULL,
  superseded_at     INTEGER,
  revoked_at        INTEGER
);
CREATE TABLE IF NOT EXISTS insured_persons (
  person_id              TEXT PRIMARY KEY,
  qualification_validity TEXT NOT NULL,
  result_json            TEXT NOT NULL,
  limit_info_json        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS card_links (
  card_serial       TEXT PRIMARY KEY,
  person_id         TEXT NOT NULL REFERENCES insured_persons(person_id)
);
CREATE TABLE IF NOT EXISTS seen_nonces (
  terminal_id       TEXT NOT NULL,
  nonce             TEXT NOT NULL,
  seen_at           INTEGER NOT NULL,
  PRIMARY KEY (terminal_id, nonce)
);
)SQL";

class Stmt {
public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK)
      throw SandboxError(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SandboxError(std::string("sqlite step: ") + sqlite3_errmsg(db_));
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(s_, col);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }
  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::int64_t int64(int col) const { return sqlite3_column_int64(s_, col); }

private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

std::string password_hash(const std::string& salt, const std::string& password) {
  const std::string input = salt + ":" + password;
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), d);
  return to_hex(d, sizeof d);
}

}  // namespace

Registry::Registry(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw SandboxError("cannot open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 2000);
  exec(kSchema);
}

Registry::~Registry() { sqlite3_close(db_); }

void Registry::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw SandboxError("sqlite: " + msg);
  }
}

void Registry::transaction(const std::function<void()>& work) {
  exec("BEGIN IMMEDIATE");
  try {
    work();
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

void Registry::upsert_facility(const Facility& f, const std::string& password) {
  const std::string salt = random_hex(16);
  Stmt s(db_,
         "INSERT INTO facilities (code, name, terminals_allowed, enrollment_id, password_salt, "
         "password_sha256, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
         "ON CONFLICT(code) DO UPDATE SET name = ?2, terminals_allowed = ?3, enrollment_id = ?4, "
         "password_salt = ?5, password_sha256 = ?6, updated_at = ?7");
  s.bind(1, f.code).bind(2, f.name).bind(3, std::int64_t{f.terminals_allowed}).bind(4, f.enrollment_id);
  s.bind(5, salt).bind(6, password_hash(salt, password)).bind(7, std::int64_t{std::time(nullptr)});
  s.step();
}

std::optional<Facility> Registry::facility(const std::string& code) {
  Stmt s(db_, "SELECT code, name, terminals_allowed, enrollment_id FROM facilities WHERE code = ?1");
  s.bind(1, code);
  if (!s.step()) return std::nullopt;
  return Facility{s.text(0), s.text(1), s.text(3), static_cast<int>(s.int64(2))};
}

bool Registry::check_setup_credentials(const std::string& code, const std::string& enrollment_id,
                                       const std::string& password) {
  Stmt s(db_, "SELECT enrollment_id, password_salt, password_sha256 FROM facilities WHERE code = ?1");
  s.bind(1, code);
  if (!s.step()) return false;
  const std::string want = s.text(2);
  const std::string got = password_hash(s.text(1), password);
  const bool pw_ok = want.size() == got.size() && CRYPTO_memcmp(want.data(), got.data(), want.size()) == 0;
  return pw_ok && s.text(0) == enrollment_id;
}

int Registry::terminals_used(const std::string& facility_code) {
  Stmt s(db_, "SELECT COUNT(*) FROM terminals WHERE facility_code = ?1 AND status = 'active'");
  s.bind(1, facility_code);
  s.step();
  return static_cast<int>(s.int64(0));
}

std::string Registry::next_terminal_id(const std::string& facility_code, int& seq_out) {
  Stmt s(db_, "SELECT COALESCE(MAX(seq), 0) + 1 FROM terminals WHERE facility_code = ?1");
  s.bind(1, facility_code);
  s.step();
  seq_out = static_cast<int>(s.int64(0));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", seq_out);
  return "T-" + facility_code + "-" + buf;
}

void Registry::add_terminal(const std::string& terminal_id, const std::string& facility_code, int seq,
                            const std::string& terminal_name, const std::string& cert_serial,
                            const std::string& cert_pem, std::int64_t expires_at,
                            const std::string& expires_at_iso) {
  const std::int64_t now = std::time(nullptr);
  Stmt t(db_,
         "INSERT INTO terminals (terminal_id, facility_code, seq, terminal_name, enrolled_at) "
         "VALUES (?1, ?2, ?3, ?4, ?5)");
  t.bind(1, terminal_id).bind(2, facility_code).bind(3, std::int64_t{seq}).bind(4, terminal_name).bind(5, now);
  t.step();
  Stmt c(db_,
         "INSERT INTO terminal_certificates (serial, terminal_id, pem, issued_at, expires_at, "
         "expires_at_iso) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  c.bind(1, cert_serial).bind(2, terminal_id).bind(3, cert_pem).bind(4, now).bind(5, expires_at).bind(6, expires_at_iso);
  c.step();
}

namespace {

// The terminal of a current (not superseded) certificate, `status_condition` saying which.
std::optional<Terminal> terminal_by_current_cert(sqlite3* db, const std::string& serial, const char* status_condition) {
  const std::string sql =
      std::string("SELECT t.terminal_id, t.facility_code, t.terminal_name, t.status, t.planned_end_date, "
                  "c.expires_at_iso FROM terminal_certificates c JOIN terminals t USING (terminal_id) "
                  "WHERE c.serial = ?1 AND c.superseded_at IS NULL AND ") +
      status_condition;
  Stmt s(db, sql.c_str());
  s.bind(1, serial);
  if (!s.step()) return std::nullopt;
  Terminal t;
  t.terminal_id = s.text(0);
  t.facility_code = s.text(1);
  t.terminal_name = s.text(2);
  t.status = s.text(3);
  if (!s.is_null(4)) t.planned_end_date = s.text(4);
  t.cert_expires_at = s.text(5);
  return t;
}

}  // namespace

std::optional<Terminal> Registry::terminal_by_cert_serial(const std::string& serial) {
  return terminal_by_current_cert(db_, serial, "c.revoked_at IS NULL AND t.status = 'active'");
}

std::optional<Terminal> Registry::ended_terminal_by_cert_serial(const std::string& serial) {
  return terminal_by_current_cert(db_, serial, "t.status = 'ended'");
}

void Registry::set_planned_end_date(const std::string& terminal_id, const std::optional<std::string>& date) {
  Stmt s(db_, "UPDATE terminals SET planned_end_date = ?2 WHERE terminal_id = ?1");
  s.bind(1, terminal_id);
  if (date) s.bind(2, *date);
  s.step();
}

void Registry::end_terminal(const std::string& terminal_id, std::int64_t now) {
  Stmt t(db_, "UPDATE terminals SET status = 'ended', ended_at = ?2 WHERE terminal_id = ?1");
  t.bind(1, terminal_id).bind(2, now);
  t.step();
  Stmt c(db_, "UPDATE terminal_certificates SET revoked_at = ?2 WHERE terminal_id = ?1 AND revoked_at IS NULL");
  c.bind(1, terminal_id).bind(2, now);
  c.step();
}

std::vector<std::string> Registry::end_terminals_planned_before(const std::string& today, std::int64_t now) {
  std::vector<std::string> due;
  {
    Stmt s(db_, "SELECT terminal_id FROM terminals WHERE status = 'active' AND planned_end_date < ?1");
    s.bind(1, today);
    while (s.step()) due.push_back(s.text(0));
  }
  for (const std::string& id : due) end_terminal(id, now);
  return due;
}

void Registry::replace_certificate(const std::string& terminal_id, const std::string& cert_serial,
                                   const std::string& cert_pem, std::int64_t expires_at,
                                   const std::string& expires_at_iso, std::int64_t now) {
  Stmt old(db_,
           "UPDATE terminal_certificates SET superseded_at = ?2, revoked_at = ?2 "
           "WHERE terminal_id = ?1 AND superseded_at IS NULL");
  old.bind(1, terminal_id).bind(2, now);
  old.step();
  Stmt c(db_,
         "INSERT INTO terminal_certificates (serial, terminal_id, pem, issued_at, expires_at, "
         "expires_at_iso) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  c.bind(1, cert_serial).bind(2, terminal_id).bind(3, cert_pem).bind(4, now).bind(5, expires_at).bind(6, expires_at_iso);
  c.step();
}

bool Registry::remember_nonce(const std::string& terminal_id, const std::string& nonce,
                              std::int64_t now, std::int64_t window_s) {
  Stmt purge(db_, "DELETE FROM seen_nonces WHERE seen_at < ?1");
  purge.bind(1, now - window_s);
  purge.step();
  Stmt s(db_, "INSERT OR IGNORE INTO seen_nonces (terminal_id, nonce, seen_at) VALUES (?1, ?2, ?3)");
  s.bind(1, terminal_id).bind(2, nonce).bind(3, now);
  s.step();
  return sqlite3_changes(db_) == 1;
}

void Registry::replace_insured_persons(const std::vector<InsuredPerson>& persons,
                                       const std::vector<std::pair<std::string, std::string>>& links) {
  transaction([&] {
    exec("DELETE FROM card_links; DELETE FROM insured_persons;");
    for (const auto& p : persons) {
      Stmt s(db_,
             "INSERT INTO insured_persons (person_id, qualification_validity, result_json, "
             "limit_info_json) VALUES (?1, ?2, ?3, ?4)");
      s.bind(1, p.person_id).bind(2, p.qualification_validity).bind(3, p.result_json).bind(4, p.limit_info_json);
      s.step();
    }
    for (const auto& [serial, person] : links) {
      Stmt s(db_, "INSERT INTO card_links (card_serial, person_id) VALUES (?1, ?2)");
      s.bind(1, serial).bind(2, person);
      s.step();
    }
  });
}

std::optional<InsuredPerson> Registry::person_by_card_serial(const std::string& serial) {
  Stmt s(db_,
         "SELECT p.person_id, p.qualification_validity, p.result_json, p.limit_info_json "
         "FROM card_links l JOIN insured_persons p USING (person_id) WHERE l.card_serial = ?1");
  s.bind(1, serial);
  if (!s.step()) return std::nullopt;
  return InsuredPerson{s.text(0), s.text(1), s.text(2), s.text(3)};
}

}  // namespace sandbox::gateway
