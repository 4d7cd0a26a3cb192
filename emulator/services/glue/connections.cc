// Connections and connection-password encryption (spec §5.3).
//
// With ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted = true,
// CreateConnection/UpdateConnection encrypt PASSWORD with KMS Encrypt under
// the password key AS THE CALLER through Glue (kms:Encrypt needed), store it
// only as ENCRYPTED_PASSWORD (base64 CiphertextBlob, no encryption context)
// and GetConnection(s) return it as stored. The connection object itself is
// then catalog-encrypted (or glue-default sealed) like every catalog object.
//
// gee's choices where AWS is UNCONFIRMED (the stricter ones):
//   * password encryption off and a connection stored with
//     ENCRYPTED_PASSWORD (written while it was on): GetConnection decrypts
//     it AS THE CALLER and returns PASSWORD, so the caller needs kms:Decrypt
//     on the password key; without it the call fails with
//     GlueEncryptionException (nothing is returned).
//   * HidePassword = true omits both PASSWORD and ENCRYPTED_PASSWORD and makes
//     no password KMS call.
//   * a connection stored with a plaintext PASSWORD (written while password
//     encryption was off) returns PASSWORD even after encryption is turned on
//     (there is no ciphertext to return "still encrypted").
//   * ENCRYPTED_PASSWORD cannot be supplied by clients.
//   * required properties per ConnectionType follow the ConnectionInput API
//     reference; gee's error texts are its own.
#include "core/environment.h"
#include "services/glue/errors.h"
#include "services/glue/glue_internal.h"
#include "services/glue/glue_service.h"

namespace gee::glue {

using internal::Str;

namespace {

ObjectIdentity ConnectionIdentity(const CatalogRef& ref, const std::string& name) {
  return ObjectIdentity{ref, "connection", "", "", name, ""};
}

ObjectKey ConnectionKey(const CatalogRef& ref, const std::string& name) {
  return ObjectKey{ref, "connection", "", "", name};
}

bool Has(const Json& props, const char* key) {
  auto it = props.find(key);
  return it != props.end() && it->is_string() && !it->get<std::string>().empty();
}

Status RequireBoolean(const Json& props, const char* key) {
  if (!props.contains(key)) return OkStatus();
  const std::string v = Str(props, key);
  if (v != "true" && v != "false") {
    return errors::InvalidInput(std::string(key) + " must be \"true\" or \"false\"");
  }
  return OkStatus();
}

// Credentials: USERNAME + PASSWORD, or SECRET_ID, or an AuthenticationConfiguration secret.
Status RequireCredentials(const Json& props, const Json& input, const std::string& type) {
  const bool secret = Has(props, "SECRET_ID") ||
                      !Str(input.value("AuthenticationConfiguration", Json::object()), "SecretArn")
                           .empty();
  if (secret) return OkStatus();
  if (Has(props, "USERNAME") && Has(props, "PASSWORD")) return OkStatus();
  return errors::InvalidInput(type +
                              " connection properties must include USERNAME and PASSWORD, or "
                              "SECRET_ID");
}

// The ConnectionInput API reference's required properties per ConnectionType.
Status ValidateConnectionInput(const Json& input) {
  const std::string type = Str(input, "ConnectionType");
  const Json props = input.value("ConnectionProperties", Json::object());
  if (props.contains("ENCRYPTED_PASSWORD")) {
    return errors::InvalidInput(
        "ENCRYPTED_PASSWORD cannot be set: Glue sets it when connection password encryption is "
        "enabled");
  }
  if (type == "JDBC") {
    if (!Has(props, "JDBC_CONNECTION_URL") &&
        !(Has(props, "HOST") && Has(props, "PORT") && Has(props, "JDBC_ENGINE"))) {
      return errors::InvalidInput(
          "JDBC connection properties must include JDBC_CONNECTION_URL (or HOST, PORT and "
          "JDBC_ENGINE)");
    }
    if (Has(props, "JDBC_CONNECTION_URL") &&
        Str(props, "JDBC_CONNECTION_URL").rfind("jdbc:", 0) != 0) {
      return errors::InvalidInput("JDBC_CONNECTION_URL must be a JDBC URL (jdbc:...)");
    }
    GEE_RETURN_IF_ERROR(RequireCredentials(props, input, type));
    GEE_RETURN_IF_ERROR(RequireBoolean(props, "JDBC_ENFORCE_SSL"));
    GEE_RETURN_IF_ERROR(RequireBoolean(props, "SKIP_CUSTOM_JDBC_CERT_VALIDATION"));
    if (props.contains("CUSTOM_JDBC_CERT") && Str(props, "CUSTOM_JDBC_CERT").rfind("s3://", 0) != 0) {
      return errors::InvalidInput("CUSTOM_JDBC_CERT must be an Amazon S3 path (s3://...)");
    }
  } else if (type == "KAFKA") {
    if (!Has(props, "KAFKA_BOOTSTRAP_SERVERS")) {
      return errors::InvalidInput("KAFKA connection properties must include KAFKA_BOOTSTRAP_SERVERS");
    }
    GEE_RETURN_IF_ERROR(RequireBoolean(props, "KAFKA_SSL_ENABLED"));
  } else if (type == "MONGODB") {
    if (!Has(props, "CONNECTION_URL")) {
      return errors::InvalidInput("MONGODB connection properties must include CONNECTION_URL");
    }
    GEE_RETURN_IF_ERROR(RequireCredentials(props, input, type));
  } else if (type == "NETWORK") {
    if (!input.contains("PhysicalConnectionRequirements")) {
      return errors::InvalidInput("NETWORK connections require PhysicalConnectionRequirements");
    }
  } else if (type == "MARKETPLACE" || type == "CUSTOM") {
    for (const char* key :
         {"CONNECTOR_TYPE", "CONNECTOR_URL", "CONNECTOR_CLASS_NAME", "CONNECTION_URL"}) {
      if (!Has(props, key)) {
        return errors::InvalidInput(type + " connection properties must include " + key);
      }
    }
    if (Str(props, "CONNECTOR_TYPE") == "JDBC") {
      GEE_RETURN_IF_ERROR(RequireCredentials(props, input, type));
    }
  } else if (type == "SFTP") {
    return errors::InvalidInput("SFTP connections are not supported");
  }
  return OkStatus();
}

struct PasswordEncryption {
  bool on = false;
  std::string key_id;
};

}  // namespace

Result<Json> GlueService::BuildConnection(Call& call, const CatalogRef& ref, const Json& input,
                                          std::string* password_key_arn) {
  GEE_RETURN_IF_ERROR(ValidateConnectionInput(input));
  GEE_ASSIGN_OR_RETURN(Json settings, LoadSettings(ref));
  const Json password_settings = settings.value("ConnectionPasswordEncryption", Json::object());
  PasswordEncryption encryption;
  encryption.on = internal::Bool(password_settings, "ReturnConnectionPasswordEncrypted");
  encryption.key_id = Str(password_settings, "AwsKmsKeyId", "alias/aws/glue");

  Json doc = Json::object();
  for (const char* member : {"Name", "Description", "ConnectionType", "MatchCriteria",
                             "ConnectionProperties", "SparkProperties", "AthenaProperties",
                             "PythonProperties", "PhysicalConnectionRequirements"}) {
    if (input.contains(member)) doc[member] = input[member];
  }
  if (auto auth = input.find("AuthenticationConfiguration"); auth != input.end()) {
    Json out = Json::object();
    for (const char* member : {"AuthenticationType", "SecretArn", "KmsKeyArn"}) {
      if (auth->contains(member)) out[member] = (*auth)[member];
    }
    doc["AuthenticationConfiguration"] = std::move(out);
  }
  if (!doc.contains("ConnectionProperties")) doc["ConnectionProperties"] = Json::object();
  Json& props = doc["ConnectionProperties"];
  password_key_arn->clear();
  if (encryption.on && props.contains("PASSWORD")) {
    GEE_ASSIGN_OR_RETURN(EncryptedPassword encrypted,
                         crypto_.EncryptPassword(call.ctx, encryption.key_id,
                                                 Str(props, "PASSWORD")));
    props.erase("PASSWORD");
    props["ENCRYPTED_PASSWORD"] = encrypted.base64_ciphertext;
    *password_key_arn = encrypted.key_arn;
  }
  const double now = NowSeconds();
  doc["CreationTime"] = now;
  doc["LastUpdatedTime"] = now;
  doc["LastUpdatedBy"] = call.ctx.principal.arn;
  doc["Status"] = "READY";
  doc["ConnectionSchemaVersion"] = 1;
  return doc;
}

Result<Json> GlueService::ConnectionOutput(Call& call, const CatalogRef& ref,
                                           const StoredObject& stored, bool hide_password) {
  GEE_ASSIGN_OR_RETURN(Json doc,
                       OpenDocument(call, ConnectionIdentity(ref, stored.key.name), stored));
  if (!doc.contains("ConnectionProperties")) return doc;
  Json& props = doc["ConnectionProperties"];
  if (hide_password) {
    props.erase("PASSWORD");
    props.erase("ENCRYPTED_PASSWORD");
    return doc;
  }
  if (props.contains("ENCRYPTED_PASSWORD")) {
    GEE_ASSIGN_OR_RETURN(Json settings, LoadSettings(ref));
    const bool return_encrypted = internal::Bool(
        settings.value("ConnectionPasswordEncryption", Json::object()),
        "ReturnConnectionPasswordEncrypted");
    if (!return_encrypted) {
      GEE_ASSIGN_OR_RETURN(std::string password,
                           crypto_.DecryptPassword(call.ctx, Str(props, "ENCRYPTED_PASSWORD")));
      props.erase("ENCRYPTED_PASSWORD");
      props["PASSWORD"] = std::move(password);
    }
  }
  return doc;
}

Result<Json> GlueService::CreateConnection(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const Json& input = call.input.at("ConnectionInput");
  const std::string name = Str(input, "Name");
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, ConnectionArn(ref, name)));
  GEE_ASSIGN_OR_RETURN(auto existing, store_.Find(ConnectionKey(ref, name)));
  if (existing) return errors::AlreadyExists("Connection already exists.");
  std::string password_key_arn;
  GEE_ASSIGN_OR_RETURN(Json doc, BuildConnection(call, ref, input, &password_key_arn));
  GEE_ASSIGN_OR_RETURN(SealedObject sealed, SealDocument(call, ConnectionIdentity(ref, name), doc));
  GEE_RETURN_IF_ERROR(store_.Insert(ConnectionKey(ref, name), 0, sealed, password_key_arn));
  if (auto tags = call.input.find("Tags"); tags != call.input.end()) {
    GEE_RETURN_IF_ERROR(SetTags(ConnectionArn(ref, name), *tags));
  }
  return Json{{"CreateConnectionStatus", "READY"}};
}

Result<Json> GlueService::GetConnection(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string name = Str(call.input, "Name");
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, ConnectionArn(ref, name)));
  GEE_ASSIGN_OR_RETURN(auto found, store_.Find(ConnectionKey(ref, name)));
  if (!found) return errors::ConnectionNotFound(name);
  GEE_ASSIGN_OR_RETURN(Json doc, ConnectionOutput(call, ref, *found,
                                                  internal::Bool(call.input, "HidePassword")));
  return Json{{"Connection", std::move(doc)}};
}

Result<Json> GlueService::GetConnections(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const Json filter = call.input.value("Filter", Json::object());
  const std::string type = Str(filter, "ConnectionType");
  const Json criteria = filter.value("MatchCriteria", Json::array());
  const bool hide = internal::Bool(call.input, "HidePassword");
  GEE_ASSIGN_OR_RETURN(auto start_after, internal::StartAfter(call.input));
  const size_t limit = static_cast<size_t>(internal::Int(call.input, "MaxResults", 1000));
  GEE_ASSIGN_OR_RETURN(
      internal::Page page,
      internal::Paginate(
          [&](const std::optional<std::string>& after, size_t n) {
            return store_.List(ref, "connection", std::string(), "", ListOrder::kByName, after,
                               std::nullopt, n);
          },
          internal::NameKey,
          [&](const StoredObject& row) -> Result<std::optional<Json>> {
            GEE_ASSIGN_OR_RETURN(bool allowed, MayRead(call, ref, ConnectionArn(ref, row.key.name)));
            if (!allowed) return std::optional<Json>();
            GEE_ASSIGN_OR_RETURN(Json doc, ConnectionOutput(call, ref, row, hide));
            if (!type.empty() && doc.value("ConnectionType", "") != type) {
              return std::optional<Json>();
            }
            const Json own = doc.value("MatchCriteria", Json::array());
            for (const Json& c : criteria) {
              if (std::find(own.begin(), own.end(), c) == own.end()) return std::optional<Json>();
            }
            return std::optional<Json>(std::move(doc));
          },
          limit, start_after));
  Json out{{"ConnectionList", std::move(page.items)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

Result<Json> GlueService::UpdateConnection(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string name = Str(call.input, "Name");
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, ConnectionArn(ref, name)));
  const Json& input = call.input.at("ConnectionInput");
  if (Str(input, "Name") != name) {
    // Renaming is not emulated (UNCONFIRMED how AWS answers it).
    return errors::InvalidInput("Renaming a connection is not supported");
  }
  GEE_ASSIGN_OR_RETURN(auto found, store_.Find(ConnectionKey(ref, name)));
  if (!found) return errors::ConnectionNotFound(name);
  GEE_ASSIGN_OR_RETURN(Json old, OpenDocument(call, ConnectionIdentity(ref, name), *found));
  std::string password_key_arn;
  GEE_ASSIGN_OR_RETURN(Json doc, BuildConnection(call, ref, input, &password_key_arn));
  doc["CreationTime"] = old.value("CreationTime", NowSeconds());
  GEE_ASSIGN_OR_RETURN(SealedObject sealed, SealDocument(call, ConnectionIdentity(ref, name), doc));
  GEE_RETURN_IF_ERROR(store_.Replace(ConnectionKey(ref, name), 0, sealed, password_key_arn));
  return Json::object();
}

Result<Json> GlueService::DeleteConnection(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  const std::string name = Str(call.input, "ConnectionName");
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, ConnectionArn(ref, name)));
  GEE_ASSIGN_OR_RETURN(bool deleted, store_.Delete(ConnectionKey(ref, name)));
  if (!deleted) return errors::ConnectionNotFound(name);
  GEE_RETURN_IF_ERROR(DeleteTagsOf(ConnectionArn(ref, name)));
  return Json::object();
}

Result<Json> GlueService::BatchDeleteConnection(Call& call) {
  GEE_ASSIGN_OR_RETURN(CatalogRef ref, Catalog(call));
  std::vector<std::string> names;
  for (const Json& n : call.input.at("ConnectionNameList")) names.push_back(n.get<std::string>());
  // Every deletion must be authorized, or none happens.
  for (const std::string& name : names) {
    GEE_RETURN_IF_ERROR(AuthorizeAlso(call, ref, ConnectionArn(ref, name)));
  }
  Json succeeded = Json::array();
  Json errors_out = Json::object();
  for (const std::string& name : names) {
    GEE_ASSIGN_OR_RETURN(bool deleted, store_.Delete(ConnectionKey(ref, name)));
    if (deleted) {
      GEE_RETURN_IF_ERROR(DeleteTagsOf(ConnectionArn(ref, name)));
      succeeded.push_back(name);
    } else {
      AwsError e = errors::ConnectionNotFound(name);
      errors_out[name] = Json{{"ErrorCode", e.code}, {"ErrorMessage", e.message}};
    }
  }
  return Json{{"Succeeded", std::move(succeeded)}, {"Errors", std::move(errors_out)}};
}

}  // namespace gee::glue
