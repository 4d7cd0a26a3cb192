// S3 encryption at rest with a file-backed data directory: known plaintexts
// written through the API never appear in the raw database files, every
// stored object names the key that protects it (/_gee/inspect), and an
// upload interrupted by the client leaves no visible object and no rows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "auth/sigv4.h"
#include "core/environment.h"
#include "crypto/encoding.h"
#include "server/http_types.h"
#include "services/s3/s3_service.h"
#include "store/database.h"
#include "tests/testing/emulator_fixture.h"
#include "tests/testing/temp_dir.h"

namespace gee {
namespace {

using ::testing::HasSubstr;
using testing::EmulatorTest;
using testing::HasAwsError;
using testing::IsOk;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A recognisable plaintext of `size` bytes built from `marker`.
std::string Plaintext(const std::string& marker, size_t size) {
  std::string s;
  while (s.size() < size) s += marker + " line " + std::to_string(s.size()) + "\n";
  s.resize(size);
  return s;
}

class S3AtRestTest : public EmulatorTest {
 protected:
  void Configure(Config& config) override {
    config.ephemeral = false;
    config.data_dir = (dir_.path() / "data").string();
  }

  // Every byte of the data directory (database, WAL, shared memory).
  std::string RawFiles() {
    std::string all;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "data")) {
      if (entry.path().filename() == "root.key") continue;
      all += ReadFile(entry.path());
    }
    return all;
  }

  nlohmann::json Inspect(const std::string& id, const std::string& probe) {
    std::string target = "/_gee/inspect?kind=s3-object&id=" + sigv4::UriEncode(id, false) +
                         "&probe=" + sigv4::UriEncode(crypto::Base64Encode(probe), false);
    auto r = Root().Signed("s3", "GET", target, {}, "");
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->status, 200) << r->body;
    return nlohmann::json::parse(r->body, nullptr, false);
  }

  testing::ScopedTempDir dir_;
};

TEST_F(S3AtRestTest, KnownPlaintextsNeverReachTheDatabaseFiles) {
  ASSERT_THAT(Root().Rest("s3", "PUT", "/vault-bucket", {}, ""), IsOk());
  const std::string small = Plaintext("SMALL-SECRET-7f3a", 300);
  const std::string large = Plaintext("LARGE-SECRET-91c2", 3 * 1024 * 1024 + 5);
  const std::string part1 = Plaintext("PART-ONE-SECRET-44d0", 5 * 1024 * 1024);
  const std::string part2 = Plaintext("PART-TWO-SECRET-0b9e", 1000);
  ASSERT_THAT(Root().Rest("s3", "PUT", "/vault-bucket/small.txt", {}, small), IsOk());
  ASSERT_THAT(Root().Rest("s3", "PUT", "/vault-bucket/large.bin", {}, large), IsOk());
  auto start = Root().Rest("s3", "POST", "/vault-bucket/mpu.bin?uploads", {}, "");
  ASSERT_THAT(start, IsOk());
  std::string body = start->http.body;
  size_t a = body.find("<UploadId>") + 10;
  std::string upload = body.substr(a, body.find("</UploadId>") - a);
  auto p1 = Root().Rest("s3", "PUT", "/vault-bucket/mpu.bin?partNumber=1&uploadId=" + upload, {},
                        part1);
  auto p2 = Root().Rest("s3", "PUT", "/vault-bucket/mpu.bin?partNumber=2&uploadId=" + upload, {},
                        part2);
  ASSERT_THAT(p1, IsOk());
  ASSERT_THAT(p2, IsOk());
  std::string complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" +
                         std::string(p1->http.Header("ETag")) +
                         "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" +
                         std::string(p2->http.Header("ETag")) + "</ETag></Part></CompleteMultipartUpload>";
  ASSERT_THAT(Root().Rest("s3", "POST", "/vault-bucket/mpu.bin?uploadId=" + upload, {}, complete),
              IsOk());
  // SSE-KMS with a customer key.
  auto key = Root().Json("kms", "CreateKey", {{"Description", "at rest"}});
  ASSERT_THAT(key, IsOk());
  const std::string kms_secret = Plaintext("KMS-OBJECT-SECRET-3c7f", 400 * 1024);
  ASSERT_THAT(Root().Rest("s3", "PUT", "/vault-bucket/kms.bin",
                          {{"x-amz-server-side-encryption", "aws:kms"},
                           {"x-amz-server-side-encryption-aws-kms-key-id",
                            key->json["KeyMetadata"]["KeyId"].get<std::string>()}},
                          kms_secret),
              IsOk());
  // A copy is re-encrypted for its destination.
  ASSERT_THAT(Root().Rest("s3", "PUT", "/vault-bucket/copy.txt",
                          {{"x-amz-copy-source", "/vault-bucket/small.txt"}}, ""),
              IsOk());

  const std::string raw = RawFiles();
  ASSERT_GT(raw.size(), large.size());  // the data really is in these files
  for (const char* marker :
       {"SMALL-SECRET-7f3a", "LARGE-SECRET-91c2", "PART-ONE-SECRET-44d0", "PART-TWO-SECRET-0b9e",
        "KMS-OBJECT-SECRET-3c7f"}) {
    EXPECT_EQ(raw.find(marker), std::string::npos) << marker << " found in the raw files";
  }
  // The objects still read back.
  auto back = Root().Rest("s3", "GET", "/vault-bucket/mpu.bin", {}, "");
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->http.body, part1 + part2);
  EXPECT_EQ(Root().Rest("s3", "GET", "/vault-bucket/kms.bin", {}, "")->http.body, kms_secret);
}

TEST_F(S3AtRestTest, InspectionNamesTheProtectingKeyOfEveryStoredPiece) {
  ASSERT_THAT(Root().Rest("s3", "PUT", "/vault-bucket", {}, ""), IsOk());
  const std::string secret = Plaintext("INSPECT-ME-5521", 600 * 1024);
  ASSERT_THAT(Root().Rest("s3", "PUT", "/vault-bucket/doc.txt", {}, secret), IsOk());
  nlohmann::json out = Inspect("vault-bucket/doc.txt", "INSPECT-ME-5521");
  ASSERT_TRUE(out.is_object());
  const nlohmann::json& records = out["records"];
  // data key, stream header, three 256 KiB segments.
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0]["part"], "data key");
  size_t stored = 0;
  for (const auto& r : records) {
    EXPECT_EQ(r["scheme"], "SSE-S3");
    EXPECT_THAT(r["protected_by"].get<std::string>(), HasSubstr("gee SSE-S3 master key"));
    EXPECT_FALSE(r["probe_found"].get<bool>());
    stored += r["stored_bytes"].get<size_t>();
  }
  EXPECT_GT(stored, secret.size());
}

TEST_F(S3AtRestTest, InspectionOfMissingObjectFails) {
  ASSERT_THAT(Root().Rest("s3", "PUT", "/vault-bucket", {}, ""), IsOk());
  auto r = Root().Signed("s3", "GET", "/_gee/inspect?kind=s3-object&id=vault-bucket%2Fnone", {}, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
}

TEST_F(S3AtRestTest, UploadAbandonedMidBodyLeavesNoObjectAndNoRows) {
  ASSERT_THAT(Root().Rest("s3", "PUT", "/vault-bucket", {}, ""), IsOk());
  auto* s3 = dynamic_cast<s3::S3Service*>(emulator().env().FindService("s3"));
  ASSERT_NE(s3, nullptr);
  auto count_blobs = [&] {
    std::lock_guard<std::recursive_mutex> lock(emulator().env().store_mutex());
    auto st = emulator().env().db().Prepare("SELECT COUNT(*) FROM s3_blobs");
    EXPECT_TRUE(st.ok() && *st->Step());
    return st.ok() ? st->ColumnInt64(0) : -1;
  };
  const int64_t before = count_blobs();
  {
    // The head of a 4 MiB upload, then 2 MiB of body, then the client is gone.
    server::HttpRequest head;
    head.method = "PUT";
    head.target = "/vault-bucket/abandoned";
    head.headers = {{"Host", "127.0.0.1"}, {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}};
    head.content_length = 4 * 1024 * 1024;
    RequestContext ctx = emulator().env().NewContext(RootPrincipal("000000000000"), "us-east-1");
    auto exchange = s3->Begin(std::move(ctx), head, "UNSIGNED-PAYLOAD");
    ASSERT_FALSE(exchange->EarlyResponse().has_value());
    ASSERT_TRUE(exchange->StreamBody());
    std::string partial = Plaintext("ABANDONED-UPLOAD-88aa", 2 * 1024 * 1024);
    ASSERT_THAT(exchange->OnBodyData(partial), IsOk());
    EXPECT_GT(count_blobs(), before);  // staging rows exist while the body arrives
  }
  EXPECT_EQ(count_blobs(), before);
  EXPECT_THAT(Root().Rest("s3", "GET", "/vault-bucket/abandoned", {}, ""), HasAwsError("NoSuchKey"));
  EXPECT_EQ(RawFiles().find("ABANDONED-UPLOAD-88aa"), std::string::npos);
}

TEST_F(S3AtRestTest, RestartRemovesStagingRowsOfAnInterruptedProcess) {
  ASSERT_THAT(Root().Rest("s3", "PUT", "/vault-bucket", {}, ""), IsOk());
  {
    // What a process killed mid-upload leaves behind: a staging blob.
    std::lock_guard<std::recursive_mutex> lock(emulator().env().store_mutex());
    ASSERT_THAT(emulator().env().db().Execute(
                    "INSERT INTO s3_blobs(state, segment_size, plaintext_size, created_micros) "
                    "VALUES(0, 262144, 0, 1); "
                    "INSERT INTO s3_segments(blob_id, idx, data) VALUES(last_insert_rowid(), 0, x'00')"),
                IsOk());
  }
  auto* s3 = dynamic_cast<s3::S3Service*>(emulator().env().FindService("s3"));
  ASSERT_NE(s3, nullptr);
  ASSERT_THAT(s3->Recover(), IsOk());
  std::lock_guard<std::recursive_mutex> lock(emulator().env().store_mutex());
  auto st = emulator().env().db().Prepare("SELECT COUNT(*) FROM s3_segments");
  ASSERT_TRUE(st.ok() && *st->Step());
  EXPECT_EQ(st->ColumnInt64(0), 0);
}

}  // namespace
}  // namespace gee
