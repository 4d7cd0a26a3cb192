// GlueCrypto: how the Glue Data Catalog keeps its objects encrypted at rest,
// and how connection passwords are encrypted. Shared by the catalog handlers
// and (through GlueService::Invoke) the crawler/job runtime, which writes
// tables as its role.
//
// Every catalog object (database, table and table version, partition,
// user-defined function, connection) is stored as a sealed BLOB, never as
// plaintext:
//
//   * catalog SSE-KMS (catalog encryption on when the object was written):
//     a fresh 32-byte data key from KMS GenerateDataKey under the catalog
//     key, requested AS THE CALLER through Glue (kms:ViaService =
//     glue.REGION.amazonaws.com, aws:CalledVia glue.amazonaws.com, no
//     encryption context); reading it back is a KMS Decrypt as the caller,
//     whatever the catalog settings are at read time (objects written while
//     encryption was on stay encrypted and need the key after it is off).
//   * glue-default (catalog encryption off): the catalog's emulator-owned
//     AES-256 key, created on first use and stored sealed under the root key
//     (store/root_key.h) in `glue_default_keys`. No KMS call, no permission.
//
// Stored BLOB (all integers big-endian):
//
//   offset  size  field
//   0       1     format version, 0x01
//   1       1     scheme: 0x01 catalog SSE-KMS, 0x02 glue-default
//   2       2     n: length of the wrapped data key (0 for glue-default)
//   4       n     KMS CiphertextBlob of the data key (catalog SSE-KMS)
//   4+n     m+28  AES-256-GCM: nonce(12) || ciphertext(m) || tag(16) of the
//                 object document (UTF-8 JSON, the AWS-shaped object)
//
//   AAD = "gee-glue-catalog-object-v1:" || ObjectIdentity::Label() || ":" ||
//         bytes [0, 4+n)
//
// so a BLOB moved to another row, another catalog, another table version, or
// with its header or wrapped key altered fails to open (InternalFailure).
//
// Connection passwords (password encryption on): ENCRYPTED_PASSWORD =
// base64(KMS Encrypt(password) under the password key, as the caller through
// Glue, with NO encryption context), so a principal allowed kms:Decrypt can
// decrypt it directly (AWS SDK for pandas does).
//
// SSE-KMS-WITH-SERVICE-ROLE: Glue assumes CatalogEncryptionServiceRole as the
// service principal glue.amazonaws.com (the role's trust policy must allow
// it; aws:SourceArn = the catalog ARN, aws:SourceAccount = the catalog id)
// in a session named "GlueDataCatalogEncryption" (gee's choice), and makes
// the KMS calls with that session's identity, not through the caller (no
// kms:ViaService: it is Glue's own session), for writes and reads alike. The
// caller then needs no KMS permission; the role does.
//
// KMS failures come back as GlueEncryptionException wrapping KMS's error
// (errors::GlueEncryption): AccessDenied, Disabled, KMSInvalidState,
// InvalidKeyUsage (asymmetric key), NotFound; a refused role assumption as
// GlueEncryptionException wrapping STS's AccessDenied.
//
// Thread-safety: call with Environment::store_mutex held (every operation
// does); holds no per-request state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/request_context.h"
#include "core/result.h"
#include "crypto/secret_bytes.h"
#include "services/glue/catalog_ref.h"
#include "services/glue/glue_kms.h"
#include "store/migrations.h"

namespace gee {
class Environment;
}

namespace gee::glue {

inline constexpr uint8_t kSealedObjectVersion = 0x01;
inline constexpr uint8_t kSchemeCatalogKms = 0x01;
inline constexpr uint8_t kSchemeGlueDefault = 0x02;

// The row a sealed object belongs to (bound into the AAD).
struct ObjectIdentity {
  CatalogRef ref;
  std::string kind;      // "database", "table", "partition", "function", "connection"
  std::string database;  // "" for connections
  std::string parent;    // table name for partitions, else ""
  std::string name;      // object name; partitions: the partition id
  std::string version;   // tables: the VersionId; else ""

  std::string Label() const;
};

// Catalog encryption in effect for new writes (from the catalog settings).
struct CatalogEncryption {
  enum class Mode { kDisabled, kSseKms, kSseKmsWithServiceRole };
  Mode mode = Mode::kDisabled;
  // The key to request data keys from: the configured id/ARN/alias, or
  // "alias/aws/glue" when SSE-KMS was set without one.
  std::string key_id;
  std::string service_role_arn;
};

struct SealedObject {
  uint8_t scheme = kSchemeGlueDefault;
  // ARN of the catalog key (catalog SSE-KMS); empty for glue-default.
  std::string key_arn;
  std::string bytes;
};

// What the header of a stored BLOB says (for the at-rest inspector).
struct SealedHeader {
  uint8_t scheme = 0;
  size_t wrapped_key_size = 0;
};

struct EncryptedPassword {
  std::string base64_ciphertext;
  std::string key_arn;
};

class GlueCrypto {
 public:
  GlueCrypto(Environment& env, GlueKms& kms) : env_(env), kms_(kms) {}

  // Seals `document` for row `id` as `encryption` says, calling KMS as `caller`.
  Result<SealedObject> Seal(const RequestContext& caller, const CatalogEncryption& encryption,
                            const ObjectIdentity& id, std::string_view document);
  // Opens a BLOB made by Seal for the same `id`. A BLOB written under the
  // catalog key is decrypted by KMS as `caller` (as the catalog service role
  // when `current` is SSE-KMS-WITH-SERVICE-ROLE), whatever the current mode.
  Result<std::string> Open(const RequestContext& caller, const CatalogEncryption& current,
                           const ObjectIdentity& id, std::string_view stored);

  // ENCRYPTED_PASSWORD for `password` under `key_id` (kms:Encrypt as `caller`).
  Result<EncryptedPassword> EncryptPassword(const RequestContext& caller,
                                            std::string_view key_id, std::string_view password);
  // The password inside an ENCRYPTED_PASSWORD value (kms:Decrypt as `caller`).
  Result<std::string> DecryptPassword(const RequestContext& caller,
                                      std::string_view base64_ciphertext);

  // A keyed, deterministic id for a partition's values (hex HMAC-SHA256
  // under a key derived from the catalog's glue-default key), so the values
  // never appear in plaintext in the partition row's key.
  Result<std::string> PartitionId(const CatalogRef& ref, const std::vector<std::string>& values);

  static Result<SealedHeader> ReadHeader(std::string_view stored);

  // The context of a KMS call Glue makes with the caller's identity.
  static RequestContext KmsContext(const RequestContext& caller);

  // Schema of the glue-default keys (component "glue", see GlueService).
  static constexpr char kDefaultKeysSchema[] =
      "CREATE TABLE glue_default_keys("
      "  catalog_id TEXT NOT NULL,"
      "  region TEXT NOT NULL,"
      "  sealed_key BLOB NOT NULL,"  // 32-byte AES key sealed under the root key
      "  PRIMARY KEY(catalog_id, region));";

 private:
  // The catalog's glue-default key, created on first use.
  Result<crypto::SecretBytes> DefaultKey(const CatalogRef& ref);
  // Wraps a KMS error in GlueEncryptionException (internal failures pass through).
  AwsError WrapKmsError(AwsError error);
  // The context of the KMS calls for `encryption`'s mode: the caller through
  // Glue, or a session of the catalog encryption service role.
  Result<RequestContext> WriterContext(const RequestContext& caller,
                                       const CatalogEncryption& encryption,
                                       const CatalogRef& ref);

  Environment& env_;
  GlueKms& kms_;
};

}  // namespace gee::glue
