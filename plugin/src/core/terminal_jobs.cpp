#include "core/terminal_jobs.h"

#include "registration/enrollment.h"
#include "util/json.h"

namespace onshi::core {
namespace {

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

void require_gateway(const Services &services) {
    if (!services.gateway)
        throw Error(ONSHI_E_CONFIG, {"no eligibility gateway is configured (gateway.url)",
                                     "資格確認ゲートウェイが設定されていません(gateway.url)"});
}

// Installs a cancel hook that aborts the transfer, and removes it on scope exit.
class CancelScope {
public:
    explicit CancelScope(Job &job) : job_(job), token_(std::make_shared<gateway::CancelToken>()) {
        auto token = token_;
        job_.set_cancel_hook([token] { token->cancel(); });
    }
    ~CancelScope() { job_.set_cancel_hook(nullptr); }
    CancelScope(const CancelScope &) = delete;
    CancelScope &operator=(const CancelScope &) = delete;
    gateway::CancelToken &token() { return *token_; }

private:
    Job &job_;
    std::shared_ptr<gateway::CancelToken> token_;
};

void write_facility(json::Writer &w, const gateway::FacilityInfo &facility) {
    w.key("facility").begin_object().member("code", facility.code).member("name", facility.name);
    if (facility.terminals_used >= 0) w.member("terminals_used", facility.terminals_used);
    if (facility.terminals_allowed >= 0) w.member("terminals_allowed", facility.terminals_allowed);
    w.end_object();
}

// {"enrolled": true, ...the gateway's status answer}.
std::shared_ptr<const JobResult> status_result(const std::string &answer) {
    rapidjson::Document doc = json::parse(answer, "status", ONSHI_E_GATEWAY_PROTOCOL);
    JobResult::Builder result;
    json::Writer &w = result.json();
    w.begin_object().member("enrolled", true);
    for (const auto &m : doc.GetObject()) {
        if (m.name == "enrolled") continue;
        w.key({m.name.GetString(), m.name.GetStringLength()});
        m.value.Accept(w);
    }
    w.end_object();
    return result.build();
}

// The current identity for mutual TLS; Error(ONSHI_E_NOT_ENROLLED / _CREDENTIAL_STORE) otherwise.
registration::TerminalCredentials load_identity(const Services &services) {
    if (!services.credentials) throw Error(ONSHI_E_NOT_ENROLLED, {"terminal not registered (no credential_dir is configured)",
                                                                  "端末が登録されていません(credential_dir が設定されていません)"});
    return services.credentials->load();
}

}  // namespace

Context::Procedure make_enrollment_procedure(const Config &config, const Services &services, std::string_view setup_json) {
    auto setup = std::make_shared<registration::SetupCredentials>(registration::SetupCredentials::parse(setup_json));
    if (!setup->gateway_url.empty() && config.gateway.configured() &&
        without_trailing_slash(setup->gateway_url) != without_trailing_slash(config.gateway.url))
        throw Error(ONSHI_E_INVALID_ARGUMENT,
                    {"setup_json.gateway_url (" + setup->gateway_url + ") is not the configured gateway (" +
                         config.gateway.url + ")",
                     "setup_json.gateway_url (" + setup->gateway_url + ") が設定のゲートウェイ (" + config.gateway.url +
                         ") と異なります"});
    return [services, setup](Job &job) -> std::shared_ptr<const JobResult> {
        // The password is wiped whatever happens (the copy in the request body is wiped by the
        // gateway layer).
        struct WipePassword {
            registration::SetupCredentials &s;
            ~WipePassword() { s.setup_password.wipe(); }
        } wipe{*setup};
        if (!services.credentials)
            throw Error(ONSHI_E_CREDENTIAL_STORE, {"no credential_dir is configured: there is nowhere to keep the terminal key",
                                                   "credential_dir が設定されていないため端末の鍵を保存できません"});
        require_gateway(services);
        job.progress(ONSHI_PROGRESS_CONTACTING_GATEWAY);
        CancelScope cancel(job);
        gateway::FacilityInfo facility;
        registration::TerminalRecord record = registration::enroll_terminal(
            *services.credentials, *setup, [&](const std::string &csr_pem) {
                gateway::EnrollmentRequest request{setup->facility_code, setup->enrollment_id,
                                                   SecureBuffer(setup->setup_password.data(), setup->setup_password.size()),
                                                   setup->terminal_name, csr_pem};
                gateway::EnrollmentResponse answer = services.gateway->enroll(request, cancel.token());
                job.throw_if_cancelled();
                facility = answer.facility;
                return registration::IssuedCertificate{answer.terminal_id, answer.certificate_pem,
                                                       answer.certificate_expires_at, answer.facility.code,
                                                       answer.facility.name};
            });
        JobResult::Builder result;
        json::Writer &w = result.json();
        w.begin_object()
            .member("enrolled", true)
            .member("terminal_id", record.terminal_id)
            .member("terminal_name", record.terminal_name);
        write_facility(w, facility);
        w.member("certificate_expires_at", record.certificate_expires_at).end_object();
        return result.build();
    };
}

Context::Procedure make_status_procedure(const Services &services) {
    return [services](Job &job) -> std::shared_ptr<const JobResult> {
        if (!services.credentials || !services.credentials->record()) {
            JobResult::Builder result;
            result.json().begin_object().member("enrolled", false).end_object();
            return result.build();
        }
        registration::TerminalCredentials terminal = services.credentials->load();
        require_gateway(services);
        job.progress(ONSHI_PROGRESS_CONTACTING_GATEWAY);
        CancelScope cancel(job);
        const gateway::ClientIdentity identity{std::move(terminal.certificate_pem), std::move(terminal.key_pem), terminal.tls_key};
        std::string answer = services.gateway->status(identity, cancel.token());
        job.throw_if_cancelled();
        return status_result(answer);
    };
}

Context::Procedure make_set_end_date_procedure(const Services &services, std::optional<std::string> date) {
    if (date) gateway::build_planned_end_body(*date);  // validates (ONSHI_E_INVALID_ARGUMENT)
    return [services, date = std::move(date)](Job &job) -> std::shared_ptr<const JobResult> {
        registration::TerminalCredentials terminal = load_identity(services);
        require_gateway(services);
        job.progress(ONSHI_PROGRESS_CONTACTING_GATEWAY);
        CancelScope cancel(job);
        const gateway::ClientIdentity identity{std::move(terminal.certificate_pem), std::move(terminal.key_pem), terminal.tls_key};
        std::string answer = services.gateway->set_planned_end(date, identity, cancel.token());
        job.throw_if_cancelled();
        return status_result(answer);
    };
}

Context::Procedure make_unenroll_procedure(const Services &services) {
    return [services](Job &job) -> std::shared_ptr<const JobResult> {
        registration::TerminalCredentials terminal = load_identity(services);
        require_gateway(services);
        services.credentials->check_writable();  // the wipe below must not fail after the gateway ended the terminal
        job.progress(ONSHI_PROGRESS_CONTACTING_GATEWAY);
        gateway::EndOfUseResponse answer;
        {
            CancelScope cancel(job);
            const gateway::ClientIdentity identity{std::move(terminal.certificate_pem), std::move(terminal.key_pem), terminal.tls_key};
            // Any failure here (network, refusal, cancel before the answer) leaves the store as it was.
            answer = services.gateway->end_use(identity, cancel.token());
        }
        // The gateway has ended the terminal: the key opens nothing any more. Not cancellable
        // from here on (the local state must follow the gateway's).
        services.credentials->wipe();
        JobResult::Builder result;
        json::Writer &w = result.json();
        w.begin_object()
            .member("enrolled", false)
            .member("ended", true)
            .member("terminal_id", answer.terminal_id.empty() ? terminal.record.terminal_id : answer.terminal_id);
        write_facility(w, answer.facility);
        w.end_object();
        return result.build();
    };
}

Context::Procedure make_renewal_procedure(const Services &services) {
    return [services](Job &job) -> std::shared_ptr<const JobResult> {
        registration::TerminalCredentials terminal = load_identity(services);
        require_gateway(services);
        // The gateway revokes the old certificate when it issues the new one: the store must be
        // able to take the new set first.
        services.credentials->check_writable();
        registration::KeyAndCsr made = services.credentials->generate_key_and_csr();
        job.progress(ONSHI_PROGRESS_CONTACTING_GATEWAY);
        gateway::EnrollmentResponse answer;
        {
            CancelScope cancel(job);
            const gateway::ClientIdentity identity{terminal.certificate_pem, SecureBuffer(terminal.key_pem.data(), terminal.key_pem.size()),
                                                   terminal.tls_key};
            answer = services.gateway->renew(gateway::RenewalRequest{made.csr_pem}, identity, cancel.token());
        }
        // The new certificate must be for this terminal and this key before anything is replaced.
        services.credentials->check_key_matches_certificate(made.key_pem, answer.certificate_pem, ONSHI_E_GATEWAY_PROTOCOL);
        if (answer.terminal_id != terminal.record.terminal_id)
            throw Error(ONSHI_E_GATEWAY_PROTOCOL, {"the gateway renewed another terminal (" + answer.terminal_id + ")",
                                                   "ゲートウェイが別の端末(" + answer.terminal_id + ")の証明書を更新しました"});
        registration::TerminalRecord record = terminal.record;
        record.certificate_expires_at = answer.certificate_expires_at;
        if (!answer.facility.name.empty()) record.facility_name = answer.facility.name;
        services.credentials->replace(record, answer.certificate_pem, made.key_pem);
        made.key_pem.wipe();
        JobResult::Builder result;
        json::Writer &w = result.json();
        w.begin_object()
            .member("renewed", true)
            .member("terminal_id", record.terminal_id)
            .member("certificate_expires_at", record.certificate_expires_at);
        write_facility(w, answer.facility);
        w.end_object();
        return result.build();
    };
}

}  // namespace onshi::core
