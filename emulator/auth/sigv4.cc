#include "auth/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "crypto/hash.h"

namespace gee::sigv4 {
namespace {

// ---- small string helpers ----

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  out.reserve(static_cast<size_t>(std::count(s.begin(), s.end(), sep)) + 1);  // one allocation
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ---- decoded query parameters ----

struct QueryParam {
  std::string name;
  std::string value;
};

std::vector<QueryParam> DecodeQuery(std::string_view raw_query) {
  std::vector<QueryParam> out;
  if (raw_query.empty()) return out;
  for (std::string_view piece : Split(raw_query, '&')) {
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    std::string_view name = piece.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    out.push_back({PercentDecode(name), PercentDecode(value)});
  }
  return out;
}

const std::string* FindParam(const std::vector<QueryParam>& params, std::string_view name) {
  for (const QueryParam& p : params) {
    if (p.name == name) return &p.value;
  }
  return nullptr;
}

// ---- time ----

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second;
};

Civil CivilFromEpoch(int64_t epoch) {
  int64_t days = epoch / 86400;
  int64_t rem = epoch % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  Civil c{};
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2 ? 1 : 0);
  c.hour = static_cast<unsigned>(rem / 3600);
  c.minute = static_cast<unsigned>((rem % 3600) / 60);
  c.second = static_cast<unsigned>(rem % 60);
  return c;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

std::optional<int64_t> EpochFromCivil(int64_t year, unsigned month, unsigned day, unsigned hour,
                                      unsigned minute, unsigned second) {
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

unsigned ParseUnsigned(std::string_view digits) {
  unsigned v = 0;
  for (char c : digits) v = v * 10 + static_cast<unsigned>(c - '0');
  return v;
}

void AppendPadded(std::string* out, int64_t value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) out->append(width - digits.size(), '0');
  out->append(digits);
}

// ---- failures ----

Failure MakeFailure(FailureKind kind, const ParsedAuth* auth = nullptr) {
  Failure f;
  f.kind = kind;
  if (auth != nullptr) {
    f.presigned = auth->presigned();
    f.access_key_id = auth->access_key_id;
    f.scope_date = auth->scope.date;
    f.amz_date = auth->amz_date;
    f.request_time = auth->request_time;
    f.authorization = auth->authorization;
    if (auth->security_token) f.security_token = *auth->security_token;
  }
  return f;
}

Failure Internal(const AwsError& error) {
  Failure f;
  f.kind = FailureKind::kInternal;
  f.detail = error.message;
  return f;
}

bool IsKnownContentSha256(std::string_view value) {
  return IsHex64(value) || value == kUnsignedPayload || value == kStreamingSignedPayload ||
         value == kStreamingSignedPayloadTrailer || value == kStreamingUnsignedPayloadTrailer;
}

// Parses "AKID/DATE/REGION/SERVICE/TERMINATOR".
bool ParseCredential(std::string_view credential, ParsedAuth* auth) {
  std::vector<std::string_view> parts = Split(credential, '/');
  if (parts.size() != 5 || parts[0].empty()) return false;
  auth->access_key_id = std::string(parts[0]);
  auth->scope.date = std::string(parts[1]);
  auth->scope.region = std::string(parts[2]);
  auth->scope.service = std::string(parts[3]);
  auth->scope.terminator = std::string(parts[4]);
  return true;
}

// Checks shared by header and query authentication once the parts are known.
Outcome<void> CheckStructure(const RequestView& request, const ParsedAuth& auth, Dialect dialect) {
  if (auth.amz_date.substr(0, 8) != auth.scope.date) {
    return MakeFailure(FailureKind::kScopeDateMismatch, &auth);
  }
  if (auth.scope.terminator != kTerminator) {
    Failure f = MakeFailure(FailureKind::kInvalidTerminator, &auth);
    f.detail = auth.scope.terminator;
    return f;
  }
  bool host_signed = std::any_of(auth.signed_headers.begin(), auth.signed_headers.end(),
                                 [](const std::string& h) { return EqualsIgnoreCase(h, "host"); });
  if (!host_signed) return MakeFailure(FailureKind::kHostNotSigned, &auth);

  if (dialect == Dialect::kS3) {
    if (!auth.presigned() && !auth.content_sha256) {
      return MakeFailure(FailureKind::kMissingContentSha256, &auth);
    }
    if (auth.content_sha256 && !IsKnownContentSha256(*auth.content_sha256)) {
      Failure f = MakeFailure(FailureKind::kInvalidContentSha256, &auth);
      f.detail = *auth.content_sha256;
      return f;
    }
    // S3 refuses x-amz-* headers that are not signed (x-amz-content-sha256
    // excepted: S3 tolerates it unsigned).
    std::string unsigned_names;
    for (const HeaderField& h : request.headers) {
      if (!StartsWithIgnoreCase(h.first, "x-amz-")) continue;
      if (EqualsIgnoreCase(h.first, "x-amz-content-sha256")) continue;
      bool is_signed = std::any_of(
          auth.signed_headers.begin(), auth.signed_headers.end(),
          [&](const std::string& s) { return EqualsIgnoreCase(s, h.first); });
      std::string name = Lower(h.first);
      if (!is_signed && unsigned_names.find(name) == std::string::npos) {
        if (!unsigned_names.empty()) unsigned_names += ';';
        unsigned_names += name;
      }
    }
    if (!unsigned_names.empty()) {
      Failure f = MakeFailure(FailureKind::kHeadersNotSigned, &auth);
      f.detail = unsigned_names;
      return f;
    }
  }
  return {};
}

Outcome<ParsedAuth> ParseHeaderAuth(const RequestView& request, std::string_view value,
                                    Dialect dialect) {
  ParsedAuth auth;
  auth.location = AuthLocation::kHeader;
  auth.authorization = std::string(value);
  if (auto token = FindHeader(request.headers, "x-amz-security-token")) {
    auth.security_token = std::string(*token);
  }
  if (auto sha = FindHeader(request.headers, "x-amz-content-sha256")) {
    auth.content_sha256 = std::string(Trim(*sha));
  }

  std::string_view rest = Trim(value);
  size_t space = rest.find_first_of(" \t");
  std::string_view algorithm = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view() : Trim(rest.substr(space));
  if (algorithm != kAlgorithm) {
    Failure f = MakeFailure(FailureKind::kUnsupportedAlgorithm, &auth);
    f.detail = std::string(algorithm);
    return f;
  }

  // Parts are separated by commas and/or whitespace; AWS reports the first
  // token without '=' (e.g. from a stray space inside the Credential).
  std::optional<std::string_view> credential, signed_headers, signature;
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= rest.size(); ++i) {
    if (i == rest.size() || rest[i] == ',' || IsSpace(rest[i])) {
      if (i > start) parts.push_back(rest.substr(start, i - start));
      start = i + 1;
    }
  }
  for (std::string_view part : parts) {
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      Failure f = MakeFailure(FailureKind::kIncompleteSignature, &auth);
      f.detail = std::string(part);
      return f;
    }
    std::string_view key = Trim(part.substr(0, eq));
    std::string_view val = Trim(part.substr(eq + 1));
    if (key == "Credential" && !credential) credential = val;
    if (key == "SignedHeaders" && !signed_headers) signed_headers = val;
    if (key == "Signature" && !signature) signature = val;
  }

  std::optional<std::string_view> amz_date = FindHeader(request.headers, "x-amz-date");
  std::optional<std::string_view> http_date = FindHeader(request.headers, "date");
  std::vector<std::string> missing;
  if (!credential) missing.push_back("Credential");
  if (!signature) missing.push_back("Signature");
  if (!signed_headers) missing.push_back("SignedHeaders");
  if (!amz_date && !http_date) missing.push_back("Date");
  if (!missing.empty()) {
    Failure f = MakeFailure(FailureKind::kIncompleteSignature, &auth);
    f.missing = std::move(missing);
    return f;
  }

  if (!ParseCredential(*credential, &auth)) {
    Failure f = MakeFailure(FailureKind::kMalformedCredential, &auth);
    f.detail = std::string(*credential);
    return f;
  }
  auth.signed_headers_raw = std::string(*signed_headers);
  for (std::string_view h : Split(*signed_headers, ';')) {
    if (!h.empty()) auth.signed_headers.emplace_back(h);
  }
  auth.signature = std::string(*signature);

  std::optional<int64_t> time;
  std::string_view date_text = Trim(amz_date ? *amz_date : *http_date);
  if (amz_date) {
    time = ParseAmzDate(date_text);
  } else {
    time = ParseAmzDate(date_text);
    if (!time) time = ParseHttpDate(date_text);
  }
  if (!time) {
    Failure f = MakeFailure(FailureKind::kInvalidDate, &auth);
    f.detail = std::string(date_text);
    return f;
  }
  auth.request_time = *time;
  // The string to sign carries X-Amz-Date as sent; a Date header is converted.
  auth.amz_date = amz_date ? std::string(date_text) : FormatAmzDate(*time);

  Outcome<void> structure = CheckStructure(request, auth, dialect);
  if (!structure.ok()) return std::move(structure).failure();
  return auth;
}

Outcome<ParsedAuth> ParseQueryAuth(const RequestView& request,
                                   const std::vector<QueryParam>& params, Dialect dialect) {
  ParsedAuth auth;
  auth.location = AuthLocation::kQuery;
  if (const std::string* token = FindParam(params, "X-Amz-Security-Token")) {
    auth.security_token = *token;
  } else if (auto header = FindHeader(request.headers, "x-amz-security-token")) {
    auth.security_token = std::string(*header);
  }
  if (const std::string* sha = FindParam(params, "X-Amz-Content-Sha256")) {
    auth.content_sha256 = *sha;
  } else if (auto header = FindHeader(request.headers, "x-amz-content-sha256")) {
    auth.content_sha256 = std::string(Trim(*header));
  }

  static constexpr std::string_view kRequired[] = {"X-Amz-Algorithm", "X-Amz-Credential",
                                                   "X-Amz-Signature", "X-Amz-Date",
                                                   "X-Amz-SignedHeaders", "X-Amz-Expires"};
  std::vector<std::string> missing;
  for (std::string_view name : kRequired) {
    if (FindParam(params, name) == nullptr) missing.emplace_back(name);
  }
  if (!missing.empty()) {
    Failure f = MakeFailure(FailureKind::kIncompleteSignature, &auth);
    f.missing = std::move(missing);
    return f;
  }
  const std::string& algorithm = *FindParam(params, "X-Amz-Algorithm");
  if (algorithm != kAlgorithm) {
    Failure f = MakeFailure(FailureKind::kUnsupportedAlgorithm, &auth);
    f.detail = algorithm;
    return f;
  }
  const std::string& credential = *FindParam(params, "X-Amz-Credential");
  if (!ParseCredential(credential, &auth)) {
    Failure f = MakeFailure(FailureKind::kMalformedCredential, &auth);
    f.detail = credential;
    return f;
  }
  auth.signed_headers_raw = *FindParam(params, "X-Amz-SignedHeaders");
  for (std::string_view h : Split(auth.signed_headers_raw, ';')) {
    if (!h.empty()) auth.signed_headers.emplace_back(h);
  }
  auth.signature = *FindParam(params, "X-Amz-Signature");

  const std::string& date = *FindParam(params, "X-Amz-Date");
  std::optional<int64_t> time = ParseAmzDate(date);
  if (!time) {
    Failure f = MakeFailure(FailureKind::kInvalidDate, &auth);
    f.detail = date;
    return f;
  }
  auth.request_time = *time;
  auth.amz_date = date;

  const std::string& expires = *FindParam(params, "X-Amz-Expires");
  int64_t expires_value = 0;
  auto [ptr, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), expires_value);
  if (!IsDigits(expires) || ec != std::errc() || ptr != expires.data() + expires.size() ||
      expires_value < 1 || expires_value > kMaxPresignExpiresSeconds) {
    Failure f = MakeFailure(FailureKind::kInvalidExpires, &auth);
    f.detail = expires;
    return f;
  }
  auth.expires = expires_value;

  Outcome<void> structure = CheckStructure(request, auth, dialect);
  if (!structure.ok()) return std::move(structure).failure();
  return auth;
}

}  // namespace

// ---------------------------------------------------------------------------
// Headers, dialect
// ---------------------------------------------------------------------------

std::optional<std::string_view> FindHeader(std::span<const HeaderField> headers,
                                           std::string_view name) {
  for (const HeaderField& h : headers) {
    if (EqualsIgnoreCase(h.first, name)) return std::string_view(h.second);
  }
  return std::nullopt;
}

std::vector<std::string_view> HeaderValues(std::span<const HeaderField> headers,
                                           std::string_view name) {
  std::vector<std::string_view> out;
  for (const HeaderField& h : headers) {
    if (EqualsIgnoreCase(h.first, name)) out.emplace_back(h.second);
  }
  return out;
}

Dialect DialectForService(std::string_view service) {
  return service == "s3" ? Dialect::kS3 : Dialect::kStandard;
}

CanonicalOptions CanonicalOptions::For(Dialect dialect) {
  CanonicalOptions o;
  o.normalize_path = dialect != Dialect::kS3;
  o.encode_path = dialect != Dialect::kS3;
  return o;
}

std::string CredentialScope::ToString() const {
  std::string s;
  s.reserve(date.size() + region.size() + service.size() + terminator.size() + 3);
  s.append(date).append("/").append(region).append("/").append(service).append("/").append(
      terminator);
  return s;
}

// ---------------------------------------------------------------------------
// Parsing and checks
// ---------------------------------------------------------------------------

Outcome<ParsedAuth> ParseAuthentication(const RequestView& request, Dialect dialect) {
  std::vector<std::string_view> authorization = HeaderValues(request.headers, "authorization");
  std::vector<QueryParam> params = DecodeQuery(SplitTarget(request.target).second);
  bool query_auth = FindParam(params, "X-Amz-Algorithm") != nullptr ||
                    FindParam(params, "X-Amz-Credential") != nullptr ||
                    FindParam(params, "X-Amz-Signature") != nullptr;
  if (authorization.size() > 1 || (!authorization.empty() && query_auth)) {
    Failure f = MakeFailure(FailureKind::kConflictingAuthentication);
    f.presigned = query_auth;
    return f;
  }
  if (!authorization.empty()) return ParseHeaderAuth(request, authorization.front(), dialect);
  if (query_auth) return ParseQueryAuth(request, params, dialect);
  return ParsedAuth{};
}

Outcome<void> CheckRequestTime(const ParsedAuth& auth, int64_t now_seconds,
                               int64_t max_skew_seconds) {
  auto failure = [&](FailureKind kind) {
    Failure f = MakeFailure(kind, &auth);
    f.server_time = now_seconds;
    f.window_seconds = max_skew_seconds;
    f.expires_seconds = auth.expires.value_or(0);
    return f;
  };
  if (auth.presigned()) {
    if (!auth.expires) return failure(FailureKind::kInvalidExpires);
    if (auth.request_time > now_seconds + max_skew_seconds) {
      return failure(FailureKind::kPresignNotYetValid);
    }
    if (now_seconds > auth.request_time + *auth.expires) {
      return failure(FailureKind::kPresignExpired);
    }
    return {};
  }
  if (auth.request_time < now_seconds - max_skew_seconds) {
    return failure(FailureKind::kRequestTooOld);
  }
  if (auth.request_time > now_seconds + max_skew_seconds) {
    return failure(FailureKind::kRequestNotYetCurrent);
  }
  return {};
}

Outcome<void> CheckRegion(const ParsedAuth& auth, std::string_view expected_region) {
  if (auth.scope.region == expected_region) return {};
  Failure f = MakeFailure(FailureKind::kWrongRegion, &auth);
  f.detail = auth.scope.region;
  f.expected = std::string(expected_region);
  return f;
}

Outcome<void> CheckService(const ParsedAuth& auth, std::string_view expected_service) {
  if (auth.scope.service == expected_service) return {};
  Failure f = MakeFailure(FailureKind::kWrongService, &auth);
  f.detail = auth.scope.service;
  f.expected = std::string(expected_service);
  return f;
}

Failure MissingAuthentication() { return MakeFailure(FailureKind::kMissingAuthentication); }

Failure UnknownAccessKey(const ParsedAuth& auth) {
  return MakeFailure(FailureKind::kUnknownAccessKey, &auth);
}

Failure ExpiredSessionToken(const ParsedAuth& auth) {
  return MakeFailure(FailureKind::kExpiredSessionToken, &auth);
}

Failure InvalidSessionToken(const ParsedAuth& auth) {
  return MakeFailure(FailureKind::kInvalidSessionToken, &auth);
}

Failure ContentSha256Mismatch(const ParsedAuth& auth, std::string_view computed_hex) {
  Failure f = MakeFailure(FailureKind::kContentSha256Mismatch, &auth);
  f.detail = auth.content_sha256.value_or("");
  f.computed = std::string(computed_hex);
  return f;
}

// ---------------------------------------------------------------------------
// Canonicalisation
// ---------------------------------------------------------------------------

std::string UriEncode(std::string_view bytes, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
  return out;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, std::string_view()};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::string CanonicalUri(std::string_view raw_path, const CanonicalOptions& options) {
  if (raw_path.empty()) return "/";
  std::string path(raw_path);
  if (options.normalize_path) {
    // RFC 3986 §5.2.4 dot-segment removal; AWS also drops empty segments.
    std::vector<std::string_view> kept;
    for (std::string_view segment : Split(raw_path, '/')) {
      if (segment.empty() || segment == ".") continue;
      if (segment == "..") {
        if (!kept.empty()) kept.pop_back();
        continue;
      }
      kept.push_back(segment);
    }
    path.clear();
    if (raw_path.front() == '/') path.push_back('/');
    for (size_t i = 0; i < kept.size(); ++i) {
      if (i > 0) path.push_back('/');
      path.append(kept[i]);
    }
    if (raw_path.back() == '/' && !kept.empty()) path.push_back('/');
  }
  if (options.encode_path) path = UriEncode(path, /*keep_slash=*/true);
  if (path.empty()) path.push_back('/');
  return path;
}

std::string CanonicalQueryString(std::string_view raw_query,
                                 std::span<const std::string_view> excluded) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const QueryParam& p : DecodeQuery(raw_query)) {
    if (std::find(excluded.begin(), excluded.end(), p.name) != excluded.end()) continue;
    pairs.emplace_back(UriEncode(p.name, false), UriEncode(p.value, false));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) out.push_back('&');
    out.append(pairs[i].first).append("=").append(pairs[i].second);
  }
  return out;
}

namespace {

// Appends `value` trimmed, with each run of spaces collapsed to one.
void AppendCanonicalHeaderValue(std::string_view value, std::string& out) {
  value = Trim(value);
  bool in_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      in_space = true;
      continue;
    }
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
}

}  // namespace

std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  AppendCanonicalHeaderValue(value, out);
  return out;
}

std::string CanonicalHeaders(std::span<const HeaderField> headers,
                             std::span<const std::string> signed_headers) {
  std::string out;
  out.reserve(256);
  for (const std::string& name : signed_headers) {
    for (char c : name) out.push_back(AsciiLower(c));
    out.push_back(':');
    bool first = true;
    for (const HeaderField& h : headers) {
      if (!EqualsIgnoreCase(h.first, name)) continue;
      if (!first) out.push_back(',');
      first = false;
      AppendCanonicalHeaderValue(h.second, out);
    }
    out.push_back('\n');
  }
  return out;
}

std::string BuildCanonicalRequest(const CanonicalInput& input) {
  auto [path, query] = SplitTarget(input.request->target);
  std::string out;
  out.reserve(512);
  out.append(input.request->method).push_back('\n');
  out.append(CanonicalUri(path, input.options)).push_back('\n');
  out.append(CanonicalQueryString(query, input.excluded_query)).push_back('\n');
  out.append(CanonicalHeaders(input.request->headers, input.signed_headers)).push_back('\n');
  out.append(input.signed_headers_line).push_back('\n');
  out.append(input.payload_hash);
  return out;
}

Result<std::string> BuildStringToSign(std::string_view amz_date, std::string_view scope,
                                      std::string_view canonical_request) {
  GEE_ASSIGN_OR_RETURN(std::string hash, crypto::Sha256Hex(canonical_request));
  std::string out;
  out.append(kAlgorithm).push_back('\n');
  out.append(amz_date).push_back('\n');
  out.append(scope).push_back('\n');
  out.append(hash);
  return out;
}

// ---------------------------------------------------------------------------
// SigningKey
// ---------------------------------------------------------------------------

Result<SigningKey> SigningKey::Derive(std::string_view secret_access_key, std::string_view date,
                                      std::string_view region, std::string_view service) {
  std::vector<uint8_t> seed(4 + secret_access_key.size());
  std::memcpy(seed.data(), "AWS4", 4);
  if (!secret_access_key.empty()) {
    std::memcpy(seed.data() + 4, secret_access_key.data(), secret_access_key.size());
  }
  std::array<uint8_t, 32> derived{};
  std::span<uint8_t, 32> k(derived);
  Status s = crypto::HmacSha256(seed, crypto::AsBytes(date), k);
  OPENSSL_cleanse(seed.data(), seed.size());
  if (s.ok()) s = crypto::HmacSha256(k, crypto::AsBytes(region), k);
  if (s.ok()) s = crypto::HmacSha256(k, crypto::AsBytes(service), k);
  if (s.ok()) s = crypto::HmacSha256(k, crypto::AsBytes(kTerminator), k);
  if (!s.ok()) {
    OPENSSL_cleanse(derived.data(), derived.size());
    return s.error();
  }
  SigningKey key(derived);
  OPENSSL_cleanse(derived.data(), derived.size());
  if (!key.mac_) return AwsError("InternalFailure", "internal cryptographic error (HMAC-SHA256 key)", 500);
  return key;
}

SigningKey::SigningKey(const std::array<uint8_t, 32>& key) : key_(key) {
  auto mac = crypto::HmacSha256Key::Create(key_);
  if (mac.ok()) mac_.emplace(std::move(mac).value());
}

SigningKey::SigningKey(SigningKey&& other) noexcept
    : key_(other.key_), mac_(std::move(other.mac_)) {
  OPENSSL_cleanse(other.key_.data(), other.key_.size());
  other.mac_.reset();
}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    mac_ = std::move(other.mac_);
    OPENSSL_cleanse(other.key_.data(), other.key_.size());
    other.mac_.reset();
  }
  return *this;
}

SigningKey::~SigningKey() { OPENSSL_cleanse(key_.data(), key_.size()); }

SigningKey SigningKey::Clone() const { return SigningKey(key_); }

Result<std::string> SigningKey::Sign(std::string_view string_to_sign) const {
  if (!mac_) return AwsError("InternalFailure", "signing key used after move", 500);
  GEE_ASSIGN_OR_RETURN(crypto::Sha256Digest mac, mac_->Mac(string_to_sign));
  return crypto::HexEncode(mac);
}

// ---------------------------------------------------------------------------
// Time formats
// ---------------------------------------------------------------------------

std::string FormatAmzDate(int64_t epoch_seconds) {
  Civil c = CivilFromEpoch(epoch_seconds);
  std::string out;
  out.reserve(16);
  AppendPadded(&out, c.year, 4);
  AppendPadded(&out, c.month, 2);
  AppendPadded(&out, c.day, 2);
  out.push_back('T');
  AppendPadded(&out, c.hour, 2);
  AppendPadded(&out, c.minute, 2);
  AppendPadded(&out, c.second, 2);
  out.push_back('Z');
  return out;
}

std::string FormatIso8601(int64_t epoch_seconds) {
  Civil c = CivilFromEpoch(epoch_seconds);
  std::string out;
  out.reserve(20);
  AppendPadded(&out, c.year, 4);
  out.push_back('-');
  AppendPadded(&out, c.month, 2);
  out.push_back('-');
  AppendPadded(&out, c.day, 2);
  out.push_back('T');
  AppendPadded(&out, c.hour, 2);
  out.push_back(':');
  AppendPadded(&out, c.minute, 2);
  out.push_back(':');
  AppendPadded(&out, c.second, 2);
  out.push_back('Z');
  return out;
}

std::optional<int64_t> ParseAmzDate(std::string_view t) {
  if (t.size() != 16 || t[8] != 'T' || t[15] != 'Z' || !IsDigits(t.substr(0, 8)) ||
      !IsDigits(t.substr(9, 6))) {
    return std::nullopt;
  }
  return EpochFromCivil(ParseUnsigned(t.substr(0, 4)), ParseUnsigned(t.substr(4, 2)),
                        ParseUnsigned(t.substr(6, 2)), ParseUnsigned(t.substr(9, 2)),
                        ParseUnsigned(t.substr(11, 2)), ParseUnsigned(t.substr(13, 2)));
}

std::optional<int64_t> ParseHttpDate(std::string_view t) {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  t = Trim(t);
  size_t comma = t.find(", ");
  if (comma != 3) return std::nullopt;
  std::vector<std::string_view> f = Split(t.substr(5), ' ');
  if (f.size() != 5) return std::nullopt;
  std::string_view day = f[0], month = f[1], year = f[2], clock = f[3], zone = f[4];
  if (!IsDigits(day) || day.size() > 2 || !IsDigits(year) || year.size() != 4 ||
      clock.size() != 8 || clock[2] != ':' || clock[5] != ':' || !IsDigits(clock.substr(0, 2)) ||
      !IsDigits(clock.substr(3, 2)) || !IsDigits(clock.substr(6, 2))) {
    return std::nullopt;
  }
  if (zone != "GMT" && zone != "UTC" && zone != "Z" && zone != "+0000" && zone != "-0000") {
    return std::nullopt;
  }
  unsigned m = 0;
  for (unsigned i = 0; i < 12; ++i) {
    if (month == kMonths[i]) m = i + 1;
  }
  if (m == 0) return std::nullopt;
  return EpochFromCivil(ParseUnsigned(year), m, ParseUnsigned(day), ParseUnsigned(clock.substr(0, 2)),
                        ParseUnsigned(clock.substr(3, 2)), ParseUnsigned(clock.substr(6, 2)));
}

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

Outcome<std::string> PayloadHashForVerification(const ParsedAuth& auth,
                                                const VerifyOptions& options) {
  auto body_hash = [&]() -> Outcome<std::string> {
    Result<std::string> h = crypto::Sha256Hex(*options.body);
    if (!h.ok()) return Internal(h.error());
    return std::move(h).value();
  };
  if (options.dialect != Dialect::kS3) {
    if (options.body) return body_hash();
    if (auth.content_sha256) return *auth.content_sha256;
    return std::string(kEmptyPayloadHash);
  }
  if (!auth.content_sha256) {
    if (auth.presigned()) return std::string(kUnsignedPayload);
    return MakeFailure(FailureKind::kMissingContentSha256, &auth);
  }
  const std::string& claimed = *auth.content_sha256;
  if (!IsKnownContentSha256(claimed)) {
    Failure f = MakeFailure(FailureKind::kInvalidContentSha256, &auth);
    f.detail = claimed;
    return f;
  }
  if (options.body && IsHex64(claimed)) {
    Outcome<std::string> computed = body_hash();
    if (!computed.ok()) return computed;
    if (Lower(claimed) != computed.value()) {
      Failure f = MakeFailure(FailureKind::kContentSha256Mismatch, &auth);
      f.detail = claimed;
      f.computed = computed.value();
      return f;
    }
  }
  return claimed;
}

Outcome<VerifiedRequest> VerifySignature(const RequestView& request, const ParsedAuth& auth,
                                         std::string_view secret_access_key,
                                         const VerifyOptions& options) {
  if (!auth.authenticated()) return MissingAuthentication();
  Outcome<std::string> payload = PayloadHashForVerification(auth, options);
  if (!payload.ok()) return std::move(payload).failure();

  Result<SigningKey> key = SigningKey::Derive(secret_access_key, auth.scope.date,
                                              auth.scope.region, auth.scope.service);
  if (!key.ok()) return Internal(key.error());
  return VerifySignatureWithKey(request, auth, *key, options);
}

Outcome<VerifiedRequest> VerifySignatureWithKey(const RequestView& request,
                                                const ParsedAuth& auth, const SigningKey& key,
                                                const VerifyOptions& options) {
  if (!auth.authenticated()) return MissingAuthentication();
  Outcome<std::string> payload = PayloadHashForVerification(auth, options);
  if (!payload.ok()) return std::move(payload).failure();
  const std::string scope = auth.scope.ToString();

  CanonicalInput input;
  input.request = &request;
  input.signed_headers = auth.signed_headers;
  input.signed_headers_line = auth.signed_headers_raw;
  input.options = options.canonical.value_or(CanonicalOptions::For(options.dialect));
  input.payload_hash = payload.value();

  // Presigned requests: X-Amz-Signature is not part of what was signed, and
  // X-Amz-Security-Token may or may not be (see header).
  static constexpr std::string_view kWithoutSignature[] = {"X-Amz-Signature"};
  static constexpr std::string_view kWithoutSignatureAndToken[] = {"X-Amz-Signature",
                                                                   "X-Amz-Security-Token"};
  std::vector<std::span<const std::string_view>> attempts;
  if (auth.presigned()) {
    attempts.emplace_back(kWithoutSignature);
    if (auth.security_token) attempts.emplace_back(kWithoutSignatureAndToken);
  } else {
    attempts.emplace_back();
  }

  Failure mismatch = MakeFailure(FailureKind::kSignatureMismatch, &auth);
  mismatch.signature_provided = auth.signature;
  for (size_t i = 0; i < attempts.size(); ++i) {
    input.excluded_query = attempts[i];
    std::string canonical = BuildCanonicalRequest(input);
    Result<std::string> string_to_sign = BuildStringToSign(auth.amz_date, scope, canonical);
    if (!string_to_sign.ok()) return Internal(string_to_sign.error());
    Result<std::string> signature = key.Sign(*string_to_sign);
    if (!signature.ok()) return Internal(signature.error());
    if (crypto::ConstantTimeEquals(*signature, auth.signature)) {
      return VerifiedRequest{key.Clone(), auth.signature, auth.amz_date, scope, payload.value()};
    }
    if (i == 0) {
      // Report what the first (standard) form expected, as AWS does.
      mismatch.canonical_request = std::move(canonical);
      mismatch.string_to_sign = std::move(string_to_sign).value();
    }
  }
  return mismatch;
}

}  // namespace gee::sigv4
