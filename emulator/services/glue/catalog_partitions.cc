// Partitions. Authorization: the catalog (table line), then the database and
// the table. A partition row is keyed by GlueCrypto::PartitionId(values), so
// partition values never appear in plaintext in the store; listings follow
// creation order.
#include "core/environment.h"
#include "services/glue/errors.h"
#include "services/glue/glue_internal.h"
#include "services/glue/glue_service.h"
#include "services/glue/partition_expression.h"

namespace gee::glue {

using internal::Str;

namespace {

constexpr char kCountMismatch[] =
    "The number of partition keys do not match the number of partition values";

std::vector<std::string> Values(const Json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const Json& v : list) out.push_back(v.is_string() ? v.get<std::string>() : "");
  return out;
}

size_t KeyCount(const Json& table) {
  auto it = table.find("PartitionKeys");
  return it != table.end() && it->is_array() ? it->size() : 0;
}

std::vector<PartitionKey> Keys(const Json& table) {
  std::vector<PartitionKey> keys;
  if (auto it = table.find("PartitionKeys"); it != table.end() && it->is_array()) {
    for (const Json& k : *it) keys.push_back({FoldName(Str(k, "Name")), FoldName(Str(k, "Type"))});
  }
  return keys;
}

ObjectIdentity PartitionIdentity(const CatalogRef& ref, const std::string& db,
                                 const std::string& table, const std::string& id) {
  return ObjectIdentity{ref, "partition", db, table, id, ""};
}

ObjectKey PartitionKeyOf(const CatalogRef& ref, const std::string& db, const std::string& table,
                         const std::string& id) {
  return ObjectKey{ref, "partition", db, table, id};
}

Json ErrorEntry(const std::vector<std::string>& values, const AwsError& e) {
  return Json{{"PartitionValues", values},
              {"ErrorDetail", Json{{"ErrorCode", e.code}, {"ErrorMessage", e.message}}}};
}

}  // namespace

Result<Json> GlueService::PartitionDocument(Call& call, const CatalogRef& ref, const Json& table,
                                            const Json& input) {
  Json doc = input;
  doc["DatabaseName"] = table.value("DatabaseName", "");
  doc["TableName"] = table.value("Name", "");
  doc["CatalogId"] = ref.catalog_id;
  doc["CreationTime"] = NowSeconds();
  if (!doc.contains("Values")) doc["Values"] = Json::array();
  return doc;
}

Status GlueService::InsertPartition(Call& call, const CatalogRef& ref, const std::string& db,
                                    const std::string& table, const Json& table_doc,
                                    const Json& input) {
  std::vector<std::string> values = Values(input.value("Values", Json::array()));
  if (values.size() != KeyCount(table_doc)) return errors::InvalidInput(kCountMismatch);
  GEE_ASSIGN_OR_RETURN(std::string id, crypto_.PartitionId(ref, values));
  GEE_ASSIGN_OR_RETURN(auto existing, store_.Find(PartitionKeyOf(ref, db, table, id)));
  if (existing) return errors::AlreadyExists("Partition already exists.");
  GEE_ASSIGN_OR_RETURN(Json doc, PartitionDocument(call, ref, table_doc, input));
  GEE_ASSIGN_OR_RETURN(SealedObject sealed,
                       SealDocument(call, PartitionIdentity(ref, db, table, id), doc));
  GEE_ASSIGN_OR_RETURN(int64_t seq, store_.MaxSeq(ref, "partition", db, table));
  return store_.Insert(PartitionKeyOf(ref, db, table, id), seq + 1, sealed);
}

Result<GlueService::PartitionTable> GlueService::OpenPartitionTable(Call& call) {
  PartitionTable scope;
  GEE_ASSIGN_OR_RETURN(scope.ref, Catalog(call));
  scope.db = FoldName(Str(call.input, "DatabaseName"));
  scope.table = FoldName(Str(call.input, "TableName"));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, scope.ref, DatabaseArn(scope.ref, scope.db)));
  GEE_RETURN_IF_ERROR(AuthorizeAlso(call, scope.ref, TableArn(scope.ref, scope.db, scope.table)));
  GEE_ASSIGN_OR_RETURN(scope.stored, RequireTable(scope.ref, scope.db, scope.table));
  return scope;
}

Result<Json> GlueService::CreatePartition(Call& call) {
  GEE_ASSIGN_OR_RETURN(PartitionTable scope, OpenPartitionTable(call));
  const CatalogRef& ref = scope.ref;
  const std::string& db = scope.db;
  const std::string& table = scope.table;
  GEE_ASSIGN_OR_RETURN(Json table_doc, OpenTable(call, scope.stored));
  GEE_RETURN_IF_ERROR(
      InsertPartition(call, ref, db, table, table_doc, call.input.at("PartitionInput")));
  return Json::object();
}

Result<Json> GlueService::BatchCreatePartition(Call& call) {
  GEE_ASSIGN_OR_RETURN(PartitionTable scope, OpenPartitionTable(call));
  const CatalogRef& ref = scope.ref;
  const std::string& db = scope.db;
  const std::string& table = scope.table;
  GEE_ASSIGN_OR_RETURN(Json table_doc, OpenTable(call, scope.stored));
  Json errors_out = Json::array();
  for (const Json& input : call.input.at("PartitionInputList")) {
    Status st = InsertPartition(call, ref, db, table, table_doc, input);
    if (st.ok()) continue;
    const AwsError& e = st.error();
    // Per-partition problems are reported; anything else (KMS, storage) fails the call.
    if (e.code != "AlreadyExistsException" && e.code != "InvalidInputException") {
      return std::move(st).error();
    }
    errors_out.push_back(ErrorEntry(Values(input.value("Values", Json::array())), e));
  }
  Json out = Json::object();
  if (!errors_out.empty()) out["Errors"] = std::move(errors_out);
  return out;
}

Result<Json> GlueService::GetPartition(Call& call) {
  GEE_ASSIGN_OR_RETURN(PartitionTable scope, OpenPartitionTable(call));
  const CatalogRef& ref = scope.ref;
  const std::string& db = scope.db;
  const std::string& table = scope.table;
  GEE_ASSIGN_OR_RETURN(std::string id,
                       crypto_.PartitionId(ref, Values(call.input.at("PartitionValues"))));
  GEE_ASSIGN_OR_RETURN(auto found, store_.Find(PartitionKeyOf(ref, db, table, id)));
  if (!found) return errors::PartitionNotFound();
  GEE_ASSIGN_OR_RETURN(Json doc, OpenDocument(call, PartitionIdentity(ref, db, table, id), *found));
  return Json{{"Partition", std::move(doc)}};
}

Result<Json> GlueService::GetPartitions(Call& call) {
  GEE_ASSIGN_OR_RETURN(PartitionTable scope, OpenPartitionTable(call));
  const CatalogRef& ref = scope.ref;
  const std::string& db = scope.db;
  const std::string& table = scope.table;
  std::shared_ptr<const PartitionExpression> expression;
  if (std::string text = Str(call.input, "Expression"); !text.empty()) {
    GEE_ASSIGN_OR_RETURN(Json table_doc, OpenTable(call, scope.stored));
    GEE_ASSIGN_OR_RETURN(expression, PartitionExpression::Parse(text, Keys(table_doc)));
  }
  int64_t segment = 0;
  int64_t segments = 1;
  if (auto it = call.input.find("Segment"); it != call.input.end()) {
    segment = internal::Int(*it, "SegmentNumber", 0);
    segments = internal::Int(*it, "TotalSegments", 1);
    if (segments < 1 || segment < 0 || segment >= segments) {
      return errors::InvalidInput("Invalid Segment");
    }
  }
  const bool exclude_columns = internal::Bool(call.input, "ExcludeColumnSchema");
  GEE_ASSIGN_OR_RETURN(auto start_after, internal::StartAfter(call.input));
  std::optional<int64_t> after_seq;
  if (start_after) after_seq = std::strtoll(start_after->c_str(), nullptr, 10);
  const size_t limit = static_cast<size_t>(internal::Int(call.input, "MaxResults", 1000));
  GEE_ASSIGN_OR_RETURN(
      internal::Page page,
      internal::Paginate(
          [&](const std::optional<std::string>& after, size_t n) {
            std::optional<int64_t> seq;
            if (after) seq = std::strtoll(after->c_str(), nullptr, 10);
            return store_.List(ref, "partition", db, table, ListOrder::kBySeq, std::nullopt, seq,
                               n);
          },
          [](const StoredObject& row) { return std::to_string(row.seq); },
          [&](const StoredObject& row) -> Result<std::optional<Json>> {
            if (row.seq % segments != segment) return std::optional<Json>();
            GEE_ASSIGN_OR_RETURN(
                Json doc, OpenDocument(call, PartitionIdentity(ref, db, table, row.key.name), row));
            if (expression && !expression->Matches(Values(doc.value("Values", Json::array())))) {
              return std::optional<Json>();
            }
            if (exclude_columns && doc.contains("StorageDescriptor")) {
              doc["StorageDescriptor"].erase("Columns");
            }
            return std::optional<Json>(std::move(doc));
          },
          limit, start_after));
  Json out{{"Partitions", std::move(page.items)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

Result<Json> GlueService::BatchGetPartition(Call& call) {
  GEE_ASSIGN_OR_RETURN(PartitionTable scope, OpenPartitionTable(call));
  const CatalogRef& ref = scope.ref;
  const std::string& db = scope.db;
  const std::string& table = scope.table;
  Json partitions = Json::array();
  for (const Json& entry : call.input.at("PartitionsToGet")) {
    GEE_ASSIGN_OR_RETURN(std::string id,
                         crypto_.PartitionId(ref, Values(entry.value("Values", Json::array()))));
    GEE_ASSIGN_OR_RETURN(auto found, store_.Find(PartitionKeyOf(ref, db, table, id)));
    if (!found) continue;  // missing partitions are simply not returned
    GEE_ASSIGN_OR_RETURN(Json doc,
                         OpenDocument(call, PartitionIdentity(ref, db, table, id), *found));
    partitions.push_back(std::move(doc));
  }
  return Json{{"Partitions", std::move(partitions)}, {"UnprocessedKeys", Json::array()}};
}

Result<Json> GlueService::UpdatePartition(Call& call) {
  GEE_ASSIGN_OR_RETURN(PartitionTable scope, OpenPartitionTable(call));
  const CatalogRef& ref = scope.ref;
  const std::string& db = scope.db;
  const std::string& table = scope.table;
  std::vector<std::string> values = Values(call.input.at("PartitionValueList"));
  const Json& input = call.input.at("PartitionInput");
  if (input.contains("Values") && Values(input["Values"]) != values) {
    // "The Values property can't be changed" (UpdatePartition API reference).
    return errors::InvalidInput("The partition values cannot be changed by UpdatePartition");
  }
  GEE_ASSIGN_OR_RETURN(std::string id, crypto_.PartitionId(ref, values));
  const ObjectKey key = PartitionKeyOf(ref, db, table, id);
  GEE_ASSIGN_OR_RETURN(auto found, store_.Find(key));
  if (!found) return errors::PartitionNotFound();
  const ObjectIdentity identity = PartitionIdentity(ref, db, table, id);
  GEE_ASSIGN_OR_RETURN(Json old, OpenDocument(call, identity, *found));
  Json doc = input;
  doc["Values"] = values;
  doc["DatabaseName"] = db;
  doc["TableName"] = table;
  doc["CatalogId"] = ref.catalog_id;
  doc["CreationTime"] = old.value("CreationTime", NowSeconds());
  GEE_ASSIGN_OR_RETURN(SealedObject sealed, SealDocument(call, identity, doc));
  GEE_RETURN_IF_ERROR(store_.Replace(key, found->seq, sealed));
  return Json::object();
}

Result<Json> GlueService::DeletePartition(Call& call) {
  GEE_ASSIGN_OR_RETURN(PartitionTable scope, OpenPartitionTable(call));
  const CatalogRef& ref = scope.ref;
  const std::string& db = scope.db;
  const std::string& table = scope.table;
  GEE_ASSIGN_OR_RETURN(std::string id,
                       crypto_.PartitionId(ref, Values(call.input.at("PartitionValues"))));
  GEE_ASSIGN_OR_RETURN(bool deleted, store_.Delete(PartitionKeyOf(ref, db, table, id)));
  if (!deleted) return errors::PartitionNotFound();
  return Json::object();
}

Result<Json> GlueService::BatchDeletePartition(Call& call) {
  GEE_ASSIGN_OR_RETURN(PartitionTable scope, OpenPartitionTable(call));
  const CatalogRef& ref = scope.ref;
  const std::string& db = scope.db;
  const std::string& table = scope.table;
  Json errors_out = Json::array();
  for (const Json& entry : call.input.at("PartitionsToDelete")) {
    std::vector<std::string> values = Values(entry.value("Values", Json::array()));
    GEE_ASSIGN_OR_RETURN(std::string id, crypto_.PartitionId(ref, values));
    GEE_ASSIGN_OR_RETURN(bool deleted, store_.Delete(PartitionKeyOf(ref, db, table, id)));
    if (!deleted) errors_out.push_back(ErrorEntry(values, errors::PartitionNotFound()));
  }
  Json out = Json::object();
  if (!errors_out.empty()) out["Errors"] = std::move(errors_out);
  return out;
}

}  // namespace gee::glue
