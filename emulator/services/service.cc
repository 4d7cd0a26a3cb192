#include "services/service.h"

#include <mutex>
#include <optional>

#include "core/environment.h"
#include "protocol/model.h"
#include "protocol/validation.h"
#include "store/database.h"

namespace gee {

Result<Json> OperationRunner::Run(RequestContext& ctx, std::string_view operation,
                                  const Json& input, std::string_view action, Access access,
                                  const std::function<Result<AuthRequest>(Call&)>& resolve,
                                  const std::function<Result<Json>(Call&)>& handler) {
  ctx.service = std::string(service);
  ctx.operation = std::string(operation);

  // 1. The model's constraints (required members, lengths, ranges, enums,
  //    patterns), with AWS's "N validation errors detected" message.
  GEE_ASSIGN_OR_RETURN(const protocol::ServiceModel* model, protocol::ServiceModel::Get(service));
  if (const protocol::Operation* op = model->FindOperation(operation)) {
    GEE_RETURN_IF_ERROR(protocol::ValidateInput(*model, *op, input));
  }

  // 2. One store transaction for the whole operation (a savepoint when this is
  //    an in-process call inside another operation).
  std::lock_guard<std::recursive_mutex> lock(env.store_mutex());
  std::optional<store::Transaction> transaction;
  if (access == Access::kWrite) {
    GEE_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(env.db()));
    transaction.emplace(std::move(tx));
  }

  Call call{ctx, input};
  // 3. Authorization, decided before the handler runs.
  if (!action.empty()) {
    AuthRequest request;
    if (resolve) {
      GEE_ASSIGN_OR_RETURN(request, resolve(call));
    } else {
      request.resource = "*";
    }
    request.action = std::string(action);
    GEE_RETURN_IF_ERROR(env.Authorize(ctx, request));
  }

  // 4. The handler; its changes commit only when it succeeds.
  Result<Json> result = handler(call);
  if (result.ok() && transaction) GEE_RETURN_IF_ERROR(transaction->Commit());
  return result;
}

}  // namespace gee
