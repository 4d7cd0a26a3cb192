// A service (KMS, Glue, IAM, STS, Logs) as the gateway and other services see
// it: a name, a wire protocol and `Invoke`, which runs one operation through
// the single request path: model validation → authorization → handler, inside
// a store transaction.
//
// JSON and Query services are built from `TableService<S>` with an explicit
// table of `OperationEntry` lines, one per AWS operation, each naming the
// handler, the IAM action, how the resource is resolved and the store access
// it needs. S3 (REST-XML) has its own entry point but shares Environment's
// authorization and transactions.
//
// Thread-safety: Invoke may be called from any thread; it serialises store
// access through Environment::StoreLock.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authz.h"
#include "core/request_context.h"
#include "core/result.h"
#include "core/wire_protocol.h"
#include "store/migrations.h"

namespace gee {

class Environment;

using Json = nlohmann::json;

namespace json_detail {
template <typename Key, typename Value, typename... Rest>
void EmplaceMembers(Json::object_t& members, Key&& key, Value&& value, Rest&&... rest) {
  members.emplace(std::forward<Key>(key), std::forward<Value>(value));
  if constexpr (sizeof...(Rest) > 0) EmplaceMembers(members, std::forward<Rest>(rest)...);
}
}  // namespace json_detail

// A JSON object from alternating keys and values, JsonObject("KeyId", arn,
// "Plaintext", b64): the same object as the initializer list {{"KeyId", arn},
// ...}, which first builds every pair as a two-element array, so it costs
// about twice the allocations on the hot handlers that answer every request.
// A repeated key keeps its first value, as with the initializer list.
template <typename... Args>
Json JsonObject(Args&&... keys_and_values) {
  static_assert(sizeof...(Args) % 2 == 0, "JsonObject takes key, value pairs");
  Json out = Json::object();
  if constexpr (sizeof...(Args) > 0) {
    json_detail::EmplaceMembers(out.get_ref<Json::object_t&>(), std::forward<Args>(keys_and_values)...);
  }
  return out;
}

// One invocation of an operation.
struct Call {
  RequestContext& ctx;
  const Json& input;
};

// The store access an operation needs, which decides its transaction.
enum class Access {
  kNone,   // touches no state (GetCallerIdentity, GenerateRandom)
  kRead,   // reads only (deferred transaction)
  kWrite,  // mutates (immediate transaction; rolled back on error)
};

template <class S>
struct OperationEntry {
  // AWS operation name, exactly as in the API ("GenerateDataKey").
  std::string_view name;
  Result<Json> (S::*handler)(Call&);
  // IAM action checked before the handler ("kms:GenerateDataKey"); empty for
  // operations AWS never authorizes (sts:GetCallerIdentity).
  std::string_view action;
  // Fills the AuthRequest's resource ARN, resource policy and request
  // condition keys; nullptr means the resource is "*". May fail with the
  // service's not-found error (checked before authorization, as AWS does).
  Result<AuthRequest> (S::*resource)(Call&);
  Access access;
};

class Service {
 public:
  virtual ~Service() = default;
  // Lower-case service name as in the SigV4 scope and IAM actions ("kms").
  virtual std::string_view name() const = 0;
  virtual WireProtocol protocol() const = 0;
  virtual bool HasOperation(std::string_view operation) const = 0;
  // Runs `operation` for `ctx.principal`: validation, authorization, handler.
  virtual Result<Json> Invoke(RequestContext& ctx, std::string_view operation,
                              const Json& input) = 0;
  // Schema migrations of this service's tables.
  virtual std::vector<store::MigrationStep> Migrations() const { return {}; }
};

// Invokes an operation of a table-driven service. Defined in service.cc so
// every service shares one implementation of the request path.
struct OperationRunner {
  Environment& env;
  std::string_view service;
  // Runs `handler` after validation and authorization. `resolve` may be empty.
  Result<Json> Run(RequestContext& ctx, std::string_view operation, const Json& input,
                   std::string_view action, Access access,
                   const std::function<Result<AuthRequest>(Call&)>& resolve,
                   const std::function<Result<Json>(Call&)>& handler);
};

template <class S>
class TableService : public Service {
 public:
  explicit TableService(Environment& env) : env_(env) {}

  bool HasOperation(std::string_view operation) const override {
    return Find(operation) != nullptr;
  }

  Result<Json> Invoke(RequestContext& ctx, std::string_view operation,
                      const Json& input) override {
    const OperationEntry<S>* entry = Find(operation);
    if (entry == nullptr) return AwsError("UnknownOperationException", "", 400);
    S* self = static_cast<S*>(this);
    std::function<Result<AuthRequest>(Call&)> resolve;
    if (entry->resource != nullptr) {
      resolve = [self, entry](Call& c) { return (self->*(entry->resource))(c); };
    }
    return OperationRunner{env_, name()}.Run(
        ctx, operation, input, entry->action, entry->access, resolve,
        [self, entry](Call& c) { return (self->*(entry->handler))(c); });
  }

 protected:
  Environment& env() { return env_; }

 private:
  const OperationEntry<S>* Find(std::string_view operation) const {
    for (const auto& e : S::Table()) {
      if (e.name == operation) return &e;
    }
    return nullptr;
  }
  Environment& env_;
};

}  // namespace gee
