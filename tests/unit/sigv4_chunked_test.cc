// aws-chunked bodies: the signed-chunk example AWS documents ("Example: PUT
// Object" of "Transferring Payload in Multiple Chunks"), unsigned chunks with
// checksum trailers produced by botocore (fixtures/sigv4/aws_chunked_trailers.json),
// and failure cases.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "auth/aws_chunked.h"
#include "auth/sigv4.h"
#include "auth/sigv4_signer.h"

namespace gee::sigv4 {
namespace {

// ---- the AWS documentation example ----
constexpr char kDocAccessKey[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kDocSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kDocDate[] = "20130524T000000Z";
constexpr char kDocScope[] = "20130524/us-east-1/s3/aws4_request";
constexpr char kDocSeed[] = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
constexpr char kDocChunk1[] = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
constexpr char kDocChunk2[] = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497";
constexpr char kDocFinal[] = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9";
constexpr uint64_t kDocPayloadSize = 66560;
constexpr uint64_t kDocContentLength = 66824;

SignableRequest DocRequest() {
  SignableRequest r;
  r.method = "PUT";
  r.target = "/examplebucket/chunkObject.txt";
  r.headers = {{"Host", "s3.amazonaws.com"},
               {"x-amz-date", kDocDate},
               {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
               {"x-amz-content-sha256", std::string(kStreamingSignedPayload)},
               {"Content-Encoding", "aws-chunked"},
               {"x-amz-decoded-content-length", std::to_string(kDocPayloadSize)},
               {"Content-Length", std::to_string(kDocContentLength)}};
  return r;
}

// The documented body, assembled from the documented signatures.
std::string DocBody() {
  std::string body;
  body += "10000;chunk-signature=" + std::string(kDocChunk1) + "\r\n" + std::string(65536, 'a') + "\r\n";
  body += "400;chunk-signature=" + std::string(kDocChunk2) + "\r\n" + std::string(1024, 'a') + "\r\n";
  body += "0;chunk-signature=" + std::string(kDocFinal) + "\r\n\r\n";
  return body;
}

SigningKey DocKey() {
  auto key = SigningKey::Derive(kDocSecret, "20130524", "us-east-1", "s3");
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

std::unique_ptr<AwsChunkedDecoder> DocDecoder(AwsChunkedOptions options = {}) {
  auto decoder = AwsChunkedDecoder::CreateSigned(DocKey(), kDocDate, kDocScope, kDocSeed,
                                                 std::move(options));
  EXPECT_TRUE(decoder.ok());
  return std::move(decoder).value();
}

// Decodes `body` fed in slices of `step` bytes; returns the final status.
Status DecodeAll(AwsChunkedDecoder& decoder, std::string_view body, size_t step, std::string* out) {
  for (size_t i = 0; i < body.size(); i += step) {
    GEE_RETURN_IF_ERROR(decoder.Feed(body.substr(i, step), out));
  }
  return decoder.Finish();
}

TEST(AwsChunkedSignedTest, SignerReproducesTheDocumentedSeedSignature) {
  SignableRequest r = DocRequest();
  SigningParams p;
  p.region = "us-east-1";
  p.service = "s3";
  p.time = *ParseAmzDate(kDocDate);
  p.payload_hash = kStreamingSignedPayload;
  auto result = SignRequest(r, CredentialsView{kDocAccessKey, kDocSecret, {}}, p);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->signature, kDocSeed);
  // The documented hash of the canonical request.
  EXPECT_EQ(result->string_to_sign.substr(result->string_to_sign.rfind('\n') + 1),
            "cee3fed04b70f867d036f722359b0b1f2f0e5dc0efadbc082b76c4c60e316455");
}

TEST(AwsChunkedSignedTest, EncoderReproducesTheDocumentedBody) {
  auto body = EncodeSignedChunks(DocKey(), kDocDate, kDocScope, kDocSeed,
                                 std::string(kDocPayloadSize, 'a'), 65536);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, DocBody());
  EXPECT_EQ(body->size(), kDocContentLength);
  EXPECT_EQ(SignedChunkedLength(kDocPayloadSize, 65536), kDocContentLength);
}

TEST(AwsChunkedSignedTest, DecoderChainedFromVerifiedRequestYieldsThePayload) {
  // The documented request with its documented Authorization header.
  SignableRequest r = DocRequest();
  r.headers.emplace_back(
      "Authorization",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
      "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
      "x-amz-decoded-content-length;x-amz-storage-class,Signature=" + std::string(kDocSeed));
  auto parsed = ParseAuthentication(r.View(), Dialect::kS3);
  ASSERT_TRUE(parsed.ok());
  VerifyOptions options;
  options.dialect = Dialect::kS3;
  auto verified = VerifySignature(r.View(), *parsed, kDocSecret, options);
  ASSERT_TRUE(verified.ok());
  AwsChunkedOptions chunked;
  chunked.decoded_content_length = kDocPayloadSize;
  auto decoder = AwsChunkedDecoder::CreateSigned(std::move(verified->signing_key),
                                                 verified->amz_date, verified->scope,
                                                 verified->signature, chunked);
  ASSERT_TRUE(decoder.ok());
  std::string out;
  ASSERT_TRUE(DecodeAll(**decoder, DocBody(), 4096, &out).ok());
  EXPECT_EQ(out, std::string(kDocPayloadSize, 'a'));
  EXPECT_TRUE((*decoder)->complete());
  EXPECT_EQ((*decoder)->decoded_bytes(), kDocPayloadSize);
}

TEST(AwsChunkedSignedTest, FeedingByteByByteGivesTheSameOutput) {
  auto whole = DocDecoder();
  auto bytewise = DocDecoder();
  std::string a, b;
  ASSERT_TRUE(DecodeAll(*whole, DocBody(), DocBody().size(), &a).ok());
  ASSERT_TRUE(DecodeAll(*bytewise, DocBody(), 1, &b).ok());
  EXPECT_EQ(a, b);
  EXPECT_EQ(b.size(), kDocPayloadSize);
}

TEST(AwsChunkedSignedTest, DecoderFailsWithSignatureDoesNotMatchWhenChunkDataChanged) {
  std::string body = DocBody();
  body[body.find("400;") + 100] = 'b';  // inside the second chunk's data
  auto decoder = DocDecoder();
  std::string out;
  Status s = DecodeAll(*decoder, body, 1000, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "SignatureDoesNotMatch");
  EXPECT_EQ(s.error().http_status, 403);
}

TEST(AwsChunkedSignedTest, DecoderFailsWhenChunkSignatureIsNotTheChainedOne) {
  std::string body = DocBody();
  std::string sig1 = kDocChunk1;
  body.replace(body.find(sig1), 64, std::string(kDocChunk2));
  auto decoder = DocDecoder();
  std::string out;
  Status s = DecodeAll(*decoder, body, 777, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "SignatureDoesNotMatch");
}

TEST(AwsChunkedSignedTest, DecoderFailsWhenAChunkIsDropped) {
  std::string body = DocBody();
  size_t second = body.find("400;");
  body.erase(0, second);  // first chunk removed: the chain no longer starts at the seed
  auto decoder = DocDecoder();
  std::string out;
  Status s = DecodeAll(*decoder, body, 512, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "SignatureDoesNotMatch");
}

TEST(AwsChunkedSignedTest, FinishFailsWithIncompleteBodyWhenBodyIsTruncated) {
  std::string body = DocBody();
  body.resize(body.size() - 3);
  auto decoder = DocDecoder();
  std::string out;
  Status s = DecodeAll(*decoder, body, 4096, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "IncompleteBody");
  EXPECT_EQ(s.error().http_status, 400);
}

TEST(AwsChunkedSignedTest, DecoderFailsWhenDecodedLengthDiffersFromDeclared) {
  AwsChunkedOptions options;
  options.decoded_content_length = kDocPayloadSize + 1;
  auto decoder = DocDecoder(options);
  std::string out;
  Status s = DecodeAll(*decoder, DocBody(), 4096, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "IncompleteBody");
}

TEST(AwsChunkedSignedTest, DecoderFailsOnMissingChunkSignatureExtension) {
  auto decoder = DocDecoder();
  std::string out;
  Status s = DecodeAll(*decoder, "5\r\nhello\r\n0\r\n\r\n", 3, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "IncompleteBody");
}

TEST(AwsChunkedSignedTest, DecoderBoundsTheSizeLine) {
  AwsChunkedOptions options;
  options.max_line_length = 128;
  auto decoder = DocDecoder(options);
  std::string out;
  Status s = decoder->Feed(std::string(129, '1'), &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "IncompleteBody");
  // A failed decoder stays failed.
  EXPECT_FALSE(decoder->Feed("", &out).ok());
  EXPECT_FALSE(decoder->Finish().ok());
}

TEST(AwsChunkedSignedTest, DecoderRejectsBytesAfterTheEnd) {
  auto decoder = DocDecoder();
  std::string out;
  ASSERT_TRUE(decoder->Feed(DocBody(), &out).ok());
  Status s = decoder->Feed("x", &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "IncompleteBody");
}

// ---- unsigned chunks with trailers (botocore) ----

struct TrailerCase {
  std::string trailer;
  size_t chunk_size;
  std::string checksum;
  std::string body;
};

std::string FromBase64(std::string_view in) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    buffer = (buffer << 6) | static_cast<uint32_t>(kAlphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

class AwsChunkedTrailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(std::filesystem::path(GEE_SOURCE_DIR) / "fixtures" / "sigv4" /
                     "aws_chunked_trailers.json");
    ASSERT_TRUE(in.good()) << "fixtures/sigv4/aws_chunked_trailers.json missing";
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str());
    payload_ = FromBase64(j["payload_base64"].get<std::string>());
    for (const auto& c : j["cases"]) {
      cases_.push_back({c["trailer"].get<std::string>(), c["chunk_size"].get<size_t>(),
                        c["checksum"].get<std::string>(),
                        FromBase64(c["body_base64"].get<std::string>())});
    }
    ASSERT_EQ(cases_.size(), 3u);
  }

  static std::unique_ptr<AwsChunkedDecoder> Decoder(const std::string& declared,
                                                    std::optional<uint64_t> length = {}) {
    AwsChunkedOptions options;
    options.declared_trailers = {declared};
    options.decoded_content_length = length;
    auto d = AwsChunkedDecoder::CreateUnsignedTrailer(options);
    EXPECT_TRUE(d.ok());
    return std::move(d).value();
  }

  std::string payload_;
  std::vector<TrailerCase> cases_;
};

TEST_F(AwsChunkedTrailerTest, DecoderYieldsPayloadAndVerifiesBotocoreChecksums) {
  for (const TrailerCase& c : cases_) {
    auto decoder = Decoder(c.trailer, payload_.size());
    std::string out;
    ASSERT_TRUE(DecodeAll(*decoder, c.body, 64, &out).ok()) << c.trailer;
    EXPECT_EQ(out, payload_) << c.trailer;
    ASSERT_EQ(decoder->trailers().size(), 1u);
    EXPECT_EQ(decoder->trailers()[0].first, c.trailer);
    EXPECT_EQ(decoder->trailers()[0].second, c.checksum);
  }
}

TEST_F(AwsChunkedTrailerTest, FeedingByteByByteGivesTheSameOutput) {
  for (const TrailerCase& c : cases_) {
    auto whole = Decoder(c.trailer);
    auto bytewise = Decoder(c.trailer);
    std::string a, b;
    ASSERT_TRUE(DecodeAll(*whole, c.body, c.body.size(), &a).ok());
    ASSERT_TRUE(DecodeAll(*bytewise, c.body, 1, &b).ok());
    EXPECT_EQ(a, b) << c.trailer;
  }
}

TEST_F(AwsChunkedTrailerTest, EncoderReproducesBotocoreBodies) {
  for (const TrailerCase& c : cases_) {
    auto algorithm = ChecksumAlgorithmForHeader(c.trailer);
    ASSERT_TRUE(algorithm.has_value());
    auto body = EncodeUnsignedChunksWithTrailer(payload_, c.chunk_size, *algorithm);
    ASSERT_TRUE(body.ok());
    EXPECT_EQ(*body, c.body) << c.trailer;
  }
}

TEST_F(AwsChunkedTrailerTest, DecoderFailsWithBadDigestWhenPayloadChanged) {
  for (const TrailerCase& c : cases_) {
    std::string body = c.body;
    body[body.find("\r\n") + 10] ^= 0x01;  // a payload byte of the first chunk
    auto decoder = Decoder(c.trailer);
    std::string out;
    Status s = DecodeAll(*decoder, body, 100, &out);
    ASSERT_FALSE(s.ok()) << c.trailer;
    EXPECT_EQ(s.error().code, "BadDigest");
    EXPECT_EQ(s.error().http_status, 400);
  }
}

TEST_F(AwsChunkedTrailerTest, BadDigestNamesTheAlgorithm) {
  const TrailerCase& crc = cases_[0];
  ASSERT_EQ(crc.trailer, "x-amz-checksum-crc32");
  std::string body = crc.body;
  body.replace(body.find(crc.checksum), crc.checksum.size(), "AAAAAA==");
  auto decoder = Decoder(crc.trailer);
  std::string out;
  Status s = DecodeAll(*decoder, body, 100, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "BadDigest");
  EXPECT_EQ(s.error().message, "The CRC32 you specified did not match the calculated checksum.");
}

TEST_F(AwsChunkedTrailerTest, DecoderFailsWithInvalidRequestWhenChecksumIsNotBase64) {
  const TrailerCase& c = cases_[2];
  std::string body = c.body;
  body.replace(body.find(c.checksum), c.checksum.size(), "not-base64!");
  auto decoder = Decoder(c.trailer);
  std::string out;
  Status s = DecodeAll(*decoder, body, 100, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "InvalidRequest");
}

TEST_F(AwsChunkedTrailerTest, DecoderFailsWhenChecksumTrailerWasNotAnnounced) {
  const TrailerCase& c = cases_[0];
  auto decoder = Decoder("x-amz-checksum-sha256");
  std::string out;
  Status s = DecodeAll(*decoder, c.body, 100, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "MalformedTrailerError");
}

TEST_F(AwsChunkedTrailerTest, DecoderFailsWhenAnnouncedTrailerIsMissing) {
  auto decoder = Decoder("x-amz-checksum-crc32");
  std::string out;
  Status s = DecodeAll(*decoder, "3\r\nabc\r\n0\r\n\r\n", 4, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "MalformedTrailerError");
}

TEST_F(AwsChunkedTrailerTest, DecoderFailsWithIncompleteBodyWhenChunkIsShort) {
  auto decoder = Decoder("x-amz-checksum-crc32");
  std::string out;
  Status s = DecodeAll(*decoder, "5\r\nabc\r\n0\r\n\r\n", 4, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "IncompleteBody");
}

// ---- checksums ----

TEST(PayloadChecksumTest, CrcsMatchTheirCheckValuesAcrossPieces) {
  // Standard check values of "123456789": CRC-32 cbf43926, CRC-32C e3069283.
  for (auto [algorithm, expected] : {std::pair{ChecksumAlgorithm::kCrc32, "y/Q5Jg=="},
                                     std::pair{ChecksumAlgorithm::kCrc32c, "4waSgw=="}}) {
    auto checksum = PayloadChecksum::Create(algorithm);
    ASSERT_TRUE(checksum.ok());
    ASSERT_TRUE(checksum->Update("1234").ok());
    ASSERT_TRUE(checksum->Update("").ok());
    ASSERT_TRUE(checksum->Update("56789").ok());
    auto value = checksum->FinishBase64();
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(*value, expected);
  }
}

TEST(PayloadChecksumTest, ChecksumHeaderNamesRoundTrip) {
  for (ChecksumAlgorithm a : {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c,
                              ChecksumAlgorithm::kSha1, ChecksumAlgorithm::kSha256}) {
    EXPECT_EQ(ChecksumAlgorithmForHeader(ChecksumHeaderName(a)), a);
  }
  EXPECT_EQ(ChecksumAlgorithmForHeader("X-Amz-Checksum-CRC32C"), ChecksumAlgorithm::kCrc32c);
  EXPECT_FALSE(ChecksumAlgorithmForHeader("x-amz-checksum-md5").has_value());
}

}  // namespace
}  // namespace gee::sigv4
