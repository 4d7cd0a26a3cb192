// The AWS SigV4 test suite (aws-c-auth's v4 folder), read in place from the
// shared vectors directory: GEE_SHARED_VECTORS_DIR in the environment, else
// the compile-time definition (<project>/../shared/vectors). Without that
// directory every case is skipped with a message; the project's own
// fixtures (sigv4_fixtures_test.cc) still cover signing and verification.
//
// For each case and each of header and query signing, our signer must
// reproduce the expected canonical request, string to sign and signature
// byte for byte, the verifier must accept the suite's signed request, and it
// must reject that request with one character of the signature changed.
//
// Flags of context.json honoured: normalize (path normalisation), sign_body
// (payload hash of the body; header signing adds a signed
// x-amz-content-sha256 header), omit_session_token (token added after
// signing: unsigned header, or query parameter outside the canonical query),
// expiration_in_seconds (X-Amz-Expires).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "auth/sigv4.h"
#include "auth/sigv4_signer.h"

namespace gee::sigv4 {
namespace {

namespace fs = std::filesystem;

fs::path VectorsRoot() {
  if (const char* env = std::getenv("GEE_SHARED_VECTORS_DIR"); env != nullptr && *env != '\0') {
    return fs::path(env) / "sigv4";
  }
  return fs::path(GEE_SHARED_VECTORS_DIR) / "sigv4";
}

constexpr char kMissing[] = "vectors_directory_missing";

std::vector<std::string> ListCases() {
  std::vector<std::string> cases;
  std::error_code ec;
  fs::path root = VectorsRoot();
  if (!fs::is_directory(root, ec)) return {kMissing};
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "context.json")) {
      cases.push_back(entry.path().filename().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  if (cases.empty()) return {kMissing};
  return cases;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A request of the suite's text format: request line, "Name:value" lines
// (continuation lines start with whitespace), blank line, body.
SignableRequest ParseRequestFile(const std::string& text, std::string* body) {
  SignableRequest request;
  size_t pos = 0;
  auto next_line = [&](std::string* line) {
    if (pos > text.size()) return false;
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    *line = text.substr(pos, nl - pos);
    if (!line->empty() && line->back() == '\r') line->pop_back();
    pos = nl + 1;
    return true;
  };
  std::string line;
  next_line(&line);
  size_t first_space = line.find(' ');
  size_t version = line.rfind(" HTTP/");
  request.method = line.substr(0, first_space);
  request.target = line.substr(first_space + 1, version - first_space - 1);
  while (next_line(&line) && !line.empty()) {
    if ((line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.back().second += "\n" + line;  // obs-fold, kept raw
      continue;
    }
    size_t colon = line.find(':');
    request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  *body = pos < text.size() ? text.substr(pos) : std::string();
  return request;
}

std::string AuthorizationLine(const std::string& signed_request) {
  std::istringstream in(signed_request);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Authorization:", 0) == 0) return line.substr(14);
  }
  return "";
}

// Replaces one character of the signature (header value or query parameter).
void TamperSignature(SignableRequest* request, bool query) {
  auto flip = [](char c) { return c == '0' ? '1' : '0'; };
  if (query) {
    size_t pos = request->target.find("X-Amz-Signature=");
    ASSERT_NE(pos, std::string::npos);
    char& c = request->target[pos + 16 + 10];
    c = flip(c);
    return;
  }
  for (HeaderField& h : request->headers) {
    if (h.first == "Authorization") {
      char& c = h.second.back();
      c = flip(c);
      return;
    }
  }
  FAIL() << "no Authorization header";
}

class Sigv4VectorTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == kMissing) {
      GTEST_SKIP() << "SigV4 vectors not found at " << VectorsRoot()
                   << " (set GEE_SHARED_VECTORS_DIR to the shared vectors directory)";
    }
    dir_ = VectorsRoot() / GetParam();
    context_ = nlohmann::json::parse(ReadFile(dir_ / "context.json"));
    std::string ts = context_["timestamp"].get<std::string>();  // 2015-08-30T12:36:00Z
    std::string basic;
    for (char c : ts) {
      if (c != '-' && c != ':') basic.push_back(c);
    }
    auto t = ParseAmzDate(basic);
    ASSERT_TRUE(t.has_value()) << ts;
    time_ = *t;
    const auto& creds = context_["credentials"];
    access_key_ = creds["access_key_id"].get<std::string>();
    secret_ = creds["secret_access_key"].get<std::string>();
    token_ = creds.value("token", "");
    region_ = context_["region"].get<std::string>();
    service_ = context_["service"].get<std::string>();
    request_ = ParseRequestFile(ReadFile(dir_ / "request.txt"), &body_);
  }

  CanonicalOptions Canonical() const {
    CanonicalOptions o;
    o.normalize_path = context_.value("normalize", true);
    o.encode_path = true;
    return o;
  }

  SigningParams Params() const {
    SigningParams p;
    p.region = region_;
    p.service = service_;
    p.time = time_;
    p.canonical = Canonical();
    p.add_content_sha256_header = context_.value("sign_body", false);
    p.sign_session_token = !context_.value("omit_session_token", false);
    return p;
  }

  CredentialsView Credentials() const { return CredentialsView{access_key_, secret_, token_}; }

  std::string Expected(const std::string& file) const { return ReadFile(dir_ / file); }

  // The verifier accepts `signed_request` and rejects it tampered.
  void ExpectVerifies(const SignableRequest& signed_request, const std::string& body,
                      bool query) const {
    VerifyOptions options;
    options.dialect = Dialect::kStandard;
    options.canonical = Canonical();
    options.body = body;
    auto parsed = ParseAuthentication(signed_request.View(), Dialect::kStandard);
    ASSERT_TRUE(parsed.ok()) << static_cast<int>(parsed.failure().kind);
    EXPECT_EQ(parsed->location, query ? AuthLocation::kQuery : AuthLocation::kHeader);
    EXPECT_EQ(parsed->access_key_id, access_key_);
    EXPECT_TRUE(CheckRequestTime(*parsed, time_, kDefaultMaxSkewSeconds).ok());
    EXPECT_TRUE(CheckRegion(*parsed, region_).ok());
    EXPECT_TRUE(CheckService(*parsed, service_).ok());
    auto verified = VerifySignature(signed_request.View(), *parsed, secret_, options);
    EXPECT_TRUE(verified.ok()) << (verified.ok() ? "" : verified.failure().canonical_request);

    SignableRequest tampered = signed_request;
    TamperSignature(&tampered, query);
    auto reparsed = ParseAuthentication(tampered.View(), Dialect::kStandard);
    ASSERT_TRUE(reparsed.ok());
    auto rejected = VerifySignature(tampered.View(), *reparsed, secret_, options);
    ASSERT_FALSE(rejected.ok());
    EXPECT_EQ(rejected.failure().kind, FailureKind::kSignatureMismatch);
  }

  fs::path dir_;
  nlohmann::json context_;
  int64_t time_ = 0;
  std::string access_key_, secret_, token_;
  std::string region_, service_;
  SignableRequest request_;
  std::string body_;
};

TEST_P(Sigv4VectorTest, HeaderSigningReproducesCanonicalRequestStringToSignAndSignature) {
  SignableRequest request = request_;
  auto result = SignRequest(request, Credentials(), Params(), body_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->canonical_request, Expected("header-canonical-request.txt"));
  EXPECT_EQ(result->string_to_sign, Expected("header-string-to-sign.txt"));
  EXPECT_EQ(result->signature, Expected("header-signature.txt"));
  auto authorization = FindHeader(request.headers, "authorization");
  ASSERT_TRUE(authorization.has_value());
  EXPECT_EQ(*authorization, AuthorizationLine(Expected("header-signed-request.txt")));
}

TEST_P(Sigv4VectorTest, QuerySigningReproducesCanonicalRequestStringToSignAndSignature) {
  SignableRequest request = request_;
  int64_t expires = context_.value("expiration_in_seconds", 3600);
  auto result = PresignRequest(request, Credentials(), Params(), expires, body_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->canonical_request, Expected("query-canonical-request.txt"));
  EXPECT_EQ(result->string_to_sign, Expected("query-string-to-sign.txt"));
  EXPECT_EQ(result->signature, Expected("query-signature.txt"));
  EXPECT_NE(request.target.find("X-Amz-Signature=" + result->signature), std::string::npos);
}

TEST_P(Sigv4VectorTest, VerifierAcceptsHeaderSignedRequestAndRejectsTamperedSignature) {
  std::string body;
  SignableRequest signed_request = ParseRequestFile(Expected("header-signed-request.txt"), &body);
  ExpectVerifies(signed_request, body, /*query=*/false);
}

TEST_P(Sigv4VectorTest, VerifierAcceptsQuerySignedRequestAndRejectsTamperedSignature) {
  std::string body;
  SignableRequest signed_request = ParseRequestFile(Expected("query-signed-request.txt"), &body);
  ExpectVerifies(signed_request, body, /*query=*/true);
}

TEST_P(Sigv4VectorTest, VerifierAcceptsOurOwnHeaderSignature) {
  SignableRequest request = request_;
  ASSERT_TRUE(SignRequest(request, Credentials(), Params(), body_).ok());
  ExpectVerifies(request, body_, /*query=*/false);
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, Sigv4VectorTest, ::testing::ValuesIn(ListCases()), CaseName);

}  // namespace
}  // namespace gee::sigv4
