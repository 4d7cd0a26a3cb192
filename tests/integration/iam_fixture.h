// Fixture for the IAM/STS integration tests: the EmulatorTest server plus
// verb helpers (create users with keys and policies, roles, assume them) and
// XML access to Query responses.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/testing/emulator_fixture.h"

namespace gee::testing {

using Params = std::vector<std::pair<std::string, std::string>>;

// Text of the first element named by `xpath` (e.g. "//User/UserId") in a
// Query response body; "" when absent.
inline std::string XmlText(const harness::ApiResponse& r, const std::string& xpath) {
  pugi::xml_document doc;
  if (!doc.load_string(r.http.body.c_str())) return "";
  pugi::xpath_node node = doc.select_node(xpath.c_str());
  return node ? node.node().text().as_string() : "";
}

// Texts of every element named by `xpath`.
inline std::vector<std::string> XmlTexts(const harness::ApiResponse& r, const std::string& xpath) {
  std::vector<std::string> out;
  pugi::xml_document doc;
  if (!doc.load_string(r.http.body.c_str())) return out;
  for (const pugi::xpath_node& n : doc.select_nodes(xpath.c_str())) {
    out.push_back(n.node().text().as_string());
  }
  return out;
}

// A policy document with one statement.
inline std::string Policy(const std::string& effect, const std::string& action,
                          const std::string& resource = "*", const std::string& extra = "") {
  std::string st = R"({"Effect":")" + effect + R"(",)" + action + R"(,)" + resource;
  if (!extra.empty()) st += "," + extra;
  st += "}";
  return R"({"Version":"2012-10-17","Statement":[)" + st + "]}";
}
// "Action":"x" / "Resource":"y" fragments for Policy().
inline std::string Action(const std::string& a) { return R"("Action":")" + a + R"(")"; }
inline std::string NotAction(const std::string& a) { return R"("NotAction":")" + a + R"(")"; }
inline std::string Resource(const std::string& r) { return R"("Resource":")" + r + R"(")"; }
inline std::string NotResource(const std::string& r) { return R"("NotResource":")" + r + R"(")"; }
inline std::string Allow(const std::string& action, const std::string& resource = "*") {
  return Policy("Allow", Action(action), Resource(resource));
}
inline std::string Deny(const std::string& action, const std::string& resource = "*") {
  return Policy("Deny", Action(action), Resource(resource));
}
// A trust policy letting `principal_json` ({"AWS":"..."} or {"Service":"..."}) assume the role.
inline std::string Trust(const std::string& principal_json, const std::string& extra = "") {
  std::string st = R"({"Effect":"Allow","Principal":)" + principal_json +
                   R"(,"Action":"sts:AssumeRole")";
  if (!extra.empty()) st += "," + extra;
  return R"({"Version":"2012-10-17","Statement":[)" + st + "}]}";
}

class IamTest : public EmulatorTest {
 protected:
  static constexpr char kAccount[] = "000000000000";

  static std::string UserArnOf(const std::string& name) {
    return std::string("arn:aws:iam::") + kAccount + ":user/" + name;
  }
  static std::string RoleArnOf(const std::string& name) {
    return std::string("arn:aws:iam::") + kAccount + ":role/" + name;
  }
  static std::string PolicyArnOf(const std::string& name) {
    return std::string("arn:aws:iam::") + kAccount + ":policy/" + name;
  }

  Result<harness::ApiResponse> Iam(const std::string& action, const Params& params) {
    return Root().Query("iam", action, params);
  }
  Result<harness::ApiResponse> Iam(harness::AwsClient& client, const std::string& action,
                                   const Params& params) {
    return client.Query("iam", action, params);
  }
  Result<harness::ApiResponse> Sts(harness::AwsClient& client, const std::string& action,
                                   const Params& params) {
    return client.Query("sts", action, params);
  }

  void MustSucceed(const Result<harness::ApiResponse>& r) { ASSERT_THAT(r, IsOk()); }

  void CreateUser(const std::string& name) { MustSucceed(Iam("CreateUser", {{"UserName", name}})); }
  void PutUserPolicy(const std::string& user, const std::string& name, const std::string& doc) {
    MustSucceed(Iam("PutUserPolicy",
                    {{"UserName", user}, {"PolicyName", name}, {"PolicyDocument", doc}}));
  }
  void CreateRole(const std::string& name, const std::string& trust) {
    MustSucceed(Iam("CreateRole", {{"RoleName", name}, {"AssumeRolePolicyDocument", trust}}));
  }
  void PutRolePolicy(const std::string& role, const std::string& name, const std::string& doc) {
    MustSucceed(Iam("PutRolePolicy",
                    {{"RoleName", role}, {"PolicyName", name}, {"PolicyDocument", doc}}));
  }
  // Creates a customer managed policy and returns its ARN.
  std::string CreatePolicy(const std::string& name, const std::string& doc) {
    auto r = Iam("CreatePolicy", {{"PolicyName", name}, {"PolicyDocument", doc}});
    EXPECT_THAT(r, IsOk());
    return r.ok() ? XmlText(*r, "//Policy/Arn") : "";
  }

  harness::Credentials AccessKeyFor(const std::string& user) {
    auto r = Iam("CreateAccessKey", {{"UserName", user}});
    EXPECT_THAT(r, IsOk());
    if (!r.ok()) return {};
    return {XmlText(*r, "//AccessKey/AccessKeyId"), XmlText(*r, "//AccessKey/SecretAccessKey"), ""};
  }
  // A user with an access key and the given inline policies; returns a client signing as it.
  std::unique_ptr<harness::AwsClient> UserClient(const std::string& name,
                                                 const std::vector<std::string>& policies = {}) {
    CreateUser(name);
    for (size_t i = 0; i < policies.size(); ++i) {
      PutUserPolicy(name, "p" + std::to_string(i), policies[i]);
    }
    return ClientFor(AccessKeyFor(name));
  }

  Result<harness::ApiResponse> AssumeRole(harness::AwsClient& client, const std::string& role_arn,
                                          const std::string& session, Params extra = {}) {
    extra.emplace_back("RoleArn", role_arn);
    extra.emplace_back("RoleSessionName", session);
    return client.Query("sts", "AssumeRole", extra);
  }
  static harness::Credentials SessionCredentials(const harness::ApiResponse& r) {
    return {XmlText(r, "//Credentials/AccessKeyId"), XmlText(r, "//Credentials/SecretAccessKey"),
            XmlText(r, "//Credentials/SessionToken")};
  }
  // Assumes `role_arn` with `client`, returning a client signing as the session.
  std::unique_ptr<harness::AwsClient> SessionClient(harness::AwsClient& client,
                                                    const std::string& role_arn,
                                                    const std::string& session, Params extra = {}) {
    auto r = AssumeRole(client, role_arn, session, std::move(extra));
    EXPECT_THAT(r, IsOk());
    if (!r.ok() || !r->ok()) return nullptr;
    return ClientFor(SessionCredentials(*r));
  }
};

}  // namespace gee::testing
