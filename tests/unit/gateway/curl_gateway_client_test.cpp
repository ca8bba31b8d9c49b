// The libcurl client and the caller's deadline (CancelToken::set_deadline): a call whose budget is
// already spent sends nothing and says so. (That a transfer in flight ends at the deadline is shown
// against the sandbox gateway: the fault matrix's hung-gateway row.)
#include "gateway/curl_gateway_client.h"

#include "util/error.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using onshi::Error;
using onshi::gateway::CancelToken;
using onshi::gateway::ClientIdentity;
using onshi::gateway::ConfirmationRequest;
using onshi::gateway::CurlGatewayClient;
using onshi::gateway::GatewayConfig;

namespace {

TEST(CurlGatewayClient, ASpentBudgetSendsNothing) {
    GatewayConfig config;
    config.url = "https://127.0.0.1:9";  // never reached
    config.ca_file = "unused-ca.pem";
    CurlGatewayClient client(config);
    CancelToken token;
    token.set_deadline(std::chrono::steady_clock::now() - 1ms);
    ConfirmationRequest request;
    request.payload = R"({"v":1})";
    ClientIdentity identity;
    try {
        client.confirm(request, identity, token);
        ADD_FAILURE() << "a confirmation went out after its deadline";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_GATEWAY_TIMEOUT);
        EXPECT_NE(e.detail().en.find("timed out"), std::string::npos) << e.detail().en;
        EXPECT_NE(e.detail().en.find("was not sent"), std::string::npos) << e.detail().en;
    }
    EXPECT_EQ(client.transfers(), 0);
    EXPECT_EQ(client.connections_opened(), 0);
}

}  // namespace
