#include "services/glue/glue_crypto.h"

#include <nlohmann/json.hpp>

#include "core/environment.h"
#include "crypto/aead.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "services/glue/errors.h"
#include "services/sts/sts_client.h"
#include "store/database.h"
#include "store/root_key.h"

namespace gee::glue {

namespace {

constexpr char kAadPrefix[] = "gee-glue-catalog-object-v1:";
constexpr size_t kHeaderSize = 4;
constexpr size_t kDataKeySize = 32;

AwsError Corrupt(const ObjectIdentity& id) {
  return AwsError("InternalFailure",
                  "stored Glue " + id.kind + " " + id.name + " does not authenticate", 500);
}

std::string Aad(const ObjectIdentity& id, std::string_view header_and_key) {
  std::string aad = kAadPrefix;
  aad += id.Label();
  aad.push_back(':');
  aad.append(header_and_key);
  return aad;
}

}  // namespace

std::string ObjectIdentity::Label() const {
  return store::SecretLabel("glue-catalog-object",
                            {ref.catalog_id, ref.region, kind, database, parent, name, version});
}

RequestContext GlueCrypto::KmsContext(const RequestContext& caller) {
  return ViaService(caller, "glue." + caller.region + ".amazonaws.com", "glue.amazonaws.com");
}

AwsError GlueCrypto::WrapKmsError(AwsError error) {
  if (error.code == "InternalFailure") return error;
  return errors::GlueEncryption(error, env_.NewRequestId());
}

Result<RequestContext> GlueCrypto::WriterContext(const RequestContext& caller,
                                                 const CatalogEncryption& encryption,
                                                 const CatalogRef& ref) {
  if (encryption.mode != CatalogEncryption::Mode::kSseKmsWithServiceRole) {
    return KmsContext(caller);
  }
  if (encryption.service_role_arn.empty()) {
    return AwsError("InternalFailure", "catalog encryption service role is not set", 500);
  }
  sts::ServiceAssumeRole request;
  request.service_principal = "glue.amazonaws.com";
  request.role = encryption.service_role_arn;
  request.session_name = "GlueDataCatalogEncryption";
  request.source_arn = CatalogArn(ref);
  request.source_account = ref.catalog_id;
  auto session = sts::AssumeRoleAsService(env_, caller, request);
  if (!session.ok()) {
    if (session.error().code == "InternalFailure") return std::move(session).error();
    return errors::GlueEncryption(session.error(), env_.NewRequestId(), "AWSSecurityTokenService");
  }
  RequestContext ctx = caller;
  ctx.principal = std::move(session).value();
  ctx.account = ctx.principal.account;
  ctx.via_service.clear();
  ctx.called_via.clear();
  ctx.source_arn.clear();
  ctx.source_account.clear();
  ctx.depth = caller.depth + 1;
  return ctx;
}

Result<crypto::SecretBytes> GlueCrypto::DefaultKey(const CatalogRef& ref) {
  store::Database& db = env_.db();
  const std::string label = store::SecretLabel("glue-default-key", {ref.catalog_id, ref.region});
  {
    GEE_ASSIGN_OR_RETURN(auto st, db.Prepare(
        "SELECT sealed_key FROM glue_default_keys WHERE catalog_id = ?1 AND region = ?2"));
    GEE_RETURN_IF_ERROR(st.BindText(1, ref.catalog_id));
    GEE_RETURN_IF_ERROR(st.BindText(2, ref.region));
    GEE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) return env_.keyring().Open(label, st.ColumnBlobView(0));
  }
  crypto::SecretBytes key = crypto::SecretBytes::FromRandom(kDataKeySize, env_.random());
  GEE_ASSIGN_OR_RETURN(std::string sealed, env_.keyring().Seal(label, key));
  GEE_ASSIGN_OR_RETURN(auto insert, db.Prepare(
      "INSERT INTO glue_default_keys(catalog_id, region, sealed_key) VALUES(?1, ?2, ?3)"));
  GEE_RETURN_IF_ERROR(insert.BindText(1, ref.catalog_id));
  GEE_RETURN_IF_ERROR(insert.BindText(2, ref.region));
  GEE_RETURN_IF_ERROR(insert.BindBlob(3, sealed));
  GEE_RETURN_IF_ERROR(insert.Run());
  return key;
}

Result<SealedObject> GlueCrypto::Seal(const RequestContext& caller,
                                      const CatalogEncryption& encryption,
                                      const ObjectIdentity& id, std::string_view document) {
  SealedObject out;
  std::string header(kHeaderSize, '\0');
  header[0] = static_cast<char>(kSealedObjectVersion);
  crypto::SecretBytes key;
  if (encryption.mode == CatalogEncryption::Mode::kDisabled) {
    out.scheme = kSchemeGlueDefault;
    GEE_ASSIGN_OR_RETURN(key, DefaultKey(id.ref));
  } else {
    out.scheme = kSchemeCatalogKms;
    GEE_ASSIGN_OR_RETURN(RequestContext kms_ctx, WriterContext(caller, encryption, id.ref));
    auto data_key = kms_.GenerateDataKey(kms_ctx, encryption.key_id);
    if (!data_key.ok()) return WrapKmsError(std::move(data_key).error());
    if (data_key->plaintext.size() != kDataKeySize ||
        data_key->ciphertext_blob.size() > 0xFFFF) {
      return AwsError("InternalFailure", "unexpected data key from KMS", 500);
    }
    out.key_arn = data_key->key_arn;
    key = std::move(data_key->plaintext);
    header.append(data_key->ciphertext_blob);
    header[2] = static_cast<char>((data_key->ciphertext_blob.size() >> 8) & 0xFF);
    header[3] = static_cast<char>(data_key->ciphertext_blob.size() & 0xFF);
  }
  header[1] = static_cast<char>(out.scheme);
  GEE_ASSIGN_OR_RETURN(std::string sealed,
                       crypto::Seal(key, document, Aad(id, header), env_.random()));
  out.bytes = std::move(header);
  out.bytes.append(sealed);
  return out;
}

Result<SealedHeader> GlueCrypto::ReadHeader(std::string_view stored) {
  if (stored.size() < kHeaderSize || static_cast<uint8_t>(stored[0]) != kSealedObjectVersion) {
    return AwsError("InternalFailure", "stored Glue object has an unknown format", 500);
  }
  SealedHeader h;
  h.scheme = static_cast<uint8_t>(stored[1]);
  h.wrapped_key_size = (static_cast<size_t>(static_cast<uint8_t>(stored[2])) << 8) |
                       static_cast<uint8_t>(stored[3]);
  if ((h.scheme != kSchemeCatalogKms && h.scheme != kSchemeGlueDefault) ||
      (h.scheme == kSchemeGlueDefault && h.wrapped_key_size != 0) ||
      (h.scheme == kSchemeCatalogKms && h.wrapped_key_size == 0) ||
      stored.size() < kHeaderSize + h.wrapped_key_size + crypto::kAeadOverhead) {
    return AwsError("InternalFailure", "stored Glue object has a malformed header", 500);
  }
  return h;
}

Result<std::string> GlueCrypto::Open(const RequestContext& caller,
                                     const CatalogEncryption& current, const ObjectIdentity& id,
                                     std::string_view stored) {
  GEE_ASSIGN_OR_RETURN(SealedHeader h, ReadHeader(stored));
  const size_t prefix = kHeaderSize + h.wrapped_key_size;
  crypto::SecretBytes key;
  if (h.scheme == kSchemeGlueDefault) {
    GEE_ASSIGN_OR_RETURN(key, DefaultKey(id.ref));
  } else {
    CatalogEncryption reader = current;
    if (reader.mode != CatalogEncryption::Mode::kSseKmsWithServiceRole) {
      reader.mode = CatalogEncryption::Mode::kSseKms;
    }
    GEE_ASSIGN_OR_RETURN(RequestContext kms_ctx, WriterContext(caller, reader, id.ref));
    auto data_key = kms_.Decrypt(kms_ctx, stored.substr(kHeaderSize, h.wrapped_key_size));
    if (!data_key.ok()) return WrapKmsError(std::move(data_key).error());
    key = std::move(data_key->plaintext);
  }
  auto plain = crypto::Open(key, stored.substr(prefix), Aad(id, stored.substr(0, prefix)));
  if (!plain.ok()) {
    if (crypto::IsAuthenticationFailure(plain.error())) return Corrupt(id);
    return std::move(plain).error();
  }
  return std::move(plain).value();
}

Result<EncryptedPassword> GlueCrypto::EncryptPassword(const RequestContext& caller,
                                                      std::string_view key_id,
                                                      std::string_view password) {
  RequestContext kms_ctx = KmsContext(caller);
  auto encrypted = kms_.Encrypt(kms_ctx, key_id, password);
  if (!encrypted.ok()) return WrapKmsError(std::move(encrypted).error());
  return EncryptedPassword{crypto::Base64Encode(encrypted->first), encrypted->second};
}

Result<std::string> GlueCrypto::DecryptPassword(const RequestContext& caller,
                                                std::string_view base64_ciphertext) {
  auto blob = crypto::Base64Decode(base64_ciphertext);
  if (!blob.ok()) {
    return AwsError("InternalFailure", "stored ENCRYPTED_PASSWORD is not base64", 500);
  }
  RequestContext kms_ctx = KmsContext(caller);
  auto decrypted = kms_.Decrypt(kms_ctx, *blob);
  if (!decrypted.ok()) return WrapKmsError(std::move(decrypted).error());
  return std::string(decrypted->plaintext.AsStringView());
}

Result<std::string> GlueCrypto::PartitionId(const CatalogRef& ref,
                                            const std::vector<std::string>& values) {
  GEE_ASSIGN_OR_RETURN(crypto::SecretBytes key, DefaultKey(ref));
  GEE_ASSIGN_OR_RETURN(crypto::Sha256Digest index_key,
                       crypto::HmacSha256(key.span(), "gee-glue-partition-index-v1"));
  crypto::SecretBytes index = crypto::SecretBytes::CopyOf(index_key);
  index_key.fill(0);
  GEE_ASSIGN_OR_RETURN(crypto::Sha256Digest mac,
                       crypto::HmacSha256(index.span(), nlohmann::json(values).dump()));
  return crypto::HexEncode(mac);
}

}  // namespace gee::glue
