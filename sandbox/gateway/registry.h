// The reference gateway's registry: DIR/gateway/registry.sqlite.
//   facilities             医療機関等コード, name, terminals_allowed, enrollment id, salted hash of the
//                          setup password (a new password at every `up`; terminals stay enrolled)
//   terminals              one row per enrolled terminal; status active | ended | revoked,
//                          planned_end_date (利用終了予定日, YYYY-MM-DD, the last day of use) and
//                          ended_at (利用終了: asked for, or the day after the planned end)
//   terminal_certificates  1..n certificates per terminal (renewal adds a row, supersedes the old)
//   insured_persons        the fictitious insured-person records (reseeded at every `up`)
//   card_links             利用者証明用電子証明書 serial -> insured person (reseeded at every `up`)
//   seen_nonces            (terminal, nonce) of the last 10 minutes, for replay detection
// Used from the gateway's single I/O thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace sandbox::gateway {

struct Facility {
  std::string code, name, enrollment_id;
  int terminals_allowed = 0;
};

struct Terminal {
  std::string terminal_id, facility_code, terminal_name, status;
  std::optional<std::string> planned_end_date;
  std::string cert_expires_at;  // ISO of the certificate that identified it
};

struct InsuredPerson {
  std::string person_id;
  std::string qualification_validity;
  std::string result_json;      // ResultOfQualificationConfirmation members ("" when none)
  std::string limit_info_json;  // LimitApplicationCertificateRelatedInfo ("" when none)
};

class Registry {
public:
  explicit Registry(const std::string& path);
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  void upsert_facility(const Facility& f, const std::string& setup_password);
  std::optional<Facility> facility(const std::string& code);
  bool check_setup_credentials(const std::string& code, const std::string& enrollment_id,
                               const std::string& password);
  int terminals_used(const std::string& facility_code);

  // Enrollment: reserves the next id T-<facility>-NNNN (ids are never reused).
  std::string next_terminal_id(const std::string& facility_code, int& seq_out);
  void add_terminal(const std::string& terminal_id, const std::string& facility_code, int seq,
                    const std::string& terminal_name, const std::string& cert_serial,
                    const std::string& cert_pem, std::int64_t expires_at,
                    const std::string& expires_at_iso);
  // An active terminal whose current certificate has this serial.
  std::optional<Terminal> terminal_by_cert_serial(const std::string& serial);
  // An ended terminal whose certificate at the end had this serial (it was revoked by the end).
  std::optional<Terminal> ended_terminal_by_cert_serial(const std::string& serial);

  // 利用終了予定日: YYYY-MM-DD, or nullopt to cancel it.
  void set_planned_end_date(const std::string& terminal_id, const std::optional<std::string>& date);
  // 利用終了 now: status ended (the slot is free), every certificate of the terminal revoked.
  void end_terminal(const std::string& terminal_id, std::int64_t now);
  // Ends (as end_terminal) every active terminal whose planned end date is before `today`
  // (YYYY-MM-DD); their ids.
  std::vector<std::string> end_terminals_planned_before(const std::string& today, std::int64_t now);
  // Renewal: the new certificate becomes the terminal's current one; the others are superseded
  // (and revoked: they no longer identify the terminal).
  void replace_certificate(const std::string& terminal_id, const std::string& cert_serial,
                           const std::string& cert_pem, std::int64_t expires_at,
                           const std::string& expires_at_iso, std::int64_t now);

  // False when (terminal, nonce) was seen in the last window_s seconds; remembers it otherwise.
  bool remember_nonce(const std::string& terminal_id, const std::string& nonce, std::int64_t now,
                      std::int64_t window_s);

  void replace_insured_persons(const std::vector<InsuredPerson>& persons,
                               const std::vector<std::pair<std::string, std::string>>& card_links);
  std::optional<InsuredPerson> person_by_card_serial(const std::string& serial);

  // Runs work as one transaction (BEGIN IMMEDIATE .. COMMIT): when work throws, rolls back and
  // rethrows, so a half-done change is never left behind.
  void transaction(const std::function<void()>& work);

private:
  void exec(const char* sql);
  sqlite3* db_ = nullptr;
};

}  // namespace sandbox::gateway
