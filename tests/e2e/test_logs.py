"""CloudWatch Logs through boto3 and the AWS CLI (groups, streams, events, tags, retention)."""
import json
import time
import unittest

import gee_e2e

GROUP_ARN = "arn:aws:logs:us-east-1:000000000000:log-group:{}"


def now_ms():
    return int(time.time() * 1000)


class LogGroupsTest(gee_e2e.GeeTestCase):
    def setUp(self):
        self.logs = self.client("logs")

    def test_boto3_create_describe_delete_log_group(self):
        self.logs.create_log_group(logGroupName="/e2e/groups/a")
        groups = self.logs.describe_log_groups(logGroupNamePrefix="/e2e/groups/")["logGroups"]
        self.assertEqual([g["logGroupName"] for g in groups], ["/e2e/groups/a"])
        self.assertEqual(groups[0]["arn"], GROUP_ARN.format("/e2e/groups/a") + ":*")
        self.assertEqual(groups[0]["storedBytes"], 0)
        self.assertEqual(groups[0]["metricFilterCount"], 0)
        self.assertNotIn("kmsKeyId", groups[0])
        self.assertNotIn("retentionInDays", groups[0])
        self.logs.delete_log_group(logGroupName="/e2e/groups/a")
        self.assertEqual(self.logs.describe_log_groups(logGroupNamePrefix="/e2e/groups/")["logGroups"], [])

    def test_boto3_duplicate_group_fails_with_resource_already_exists(self):
        self.logs.create_log_group(logGroupName="/e2e/dup")
        err = self.assertAwsError("ResourceAlreadyExistsException", self.logs.create_log_group,
                                  logGroupName="/e2e/dup")
        self.assertEqual(err["Message"], "The specified log group already exists")

    def test_boto3_missing_group_fails_with_resource_not_found(self):
        err = self.assertAwsError("ResourceNotFoundException", self.logs.delete_log_group,
                                  logGroupName="/e2e/never")
        self.assertEqual(err["Message"], "The specified log group does not exist.")

    def test_boto3_describe_log_groups_pattern_and_paginator(self):
        for name in ("/e2e/page/a1", "/e2e/page/b2", "/e2e/page/a3"):
            self.logs.create_log_group(logGroupName=name)
        found = self.logs.describe_log_groups(logGroupNamePattern="page/a")["logGroups"]
        self.assertEqual([g["logGroupName"] for g in found], ["/e2e/page/a1", "/e2e/page/a3"])
        pages = self.logs.get_paginator("describe_log_groups").paginate(
            logGroupNamePrefix="/e2e/page/", PaginationConfig={"PageSize": 1})
        names = [g["logGroupName"] for page in pages for g in page["logGroups"]]
        self.assertEqual(names, ["/e2e/page/a1", "/e2e/page/a3", "/e2e/page/b2"])
        self.assertAwsError("InvalidParameterException", self.logs.describe_log_groups,
                            logGroupNamePrefix="/e2e", logGroupNamePattern="page")

    def test_boto3_retention_policy(self):
        self.logs.create_log_group(logGroupName="/e2e/retention")
        self.logs.put_retention_policy(logGroupName="/e2e/retention", retentionInDays=14)
        group = self.logs.describe_log_groups(logGroupNamePrefix="/e2e/retention")["logGroups"][0]
        self.assertEqual(group["retentionInDays"], 14)
        self.assertAwsError("InvalidParameterException", self.logs.put_retention_policy,
                            logGroupName="/e2e/retention", retentionInDays=13)
        self.logs.delete_retention_policy(logGroupName="/e2e/retention")
        group = self.logs.describe_log_groups(logGroupNamePrefix="/e2e/retention")["logGroups"][0]
        self.assertNotIn("retentionInDays", group)

    def test_boto3_tags_through_both_apis(self):
        name = "/e2e/tags"
        arn = GROUP_ARN.format(name)
        self.logs.create_log_group(logGroupName=name, tags={"env": "test"})
        self.logs.tag_resource(resourceArn=arn, tags={"team": "data"})
        self.logs.tag_log_group(logGroupName=name, tags={"tier": "1"})
        self.assertEqual(self.logs.list_tags_for_resource(resourceArn=arn)["tags"],
                         {"env": "test", "team": "data", "tier": "1"})
        self.logs.untag_resource(resourceArn=arn, tagKeys=["env"])
        self.logs.untag_log_group(logGroupName=name, tags=["tier"])
        self.assertEqual(self.logs.list_tags_log_group(logGroupName=name)["tags"], {"team": "data"})

    def test_cli_log_group_lifecycle(self):
        self.aws("logs", "create-log-group", "--log-group-name", "/e2e/cli/g", "--tags", "a=b")
        out = self.aws_json("logs", "describe-log-groups", "--log-group-name-prefix", "/e2e/cli/")
        self.assertEqual([g["logGroupName"] for g in out["logGroups"]], ["/e2e/cli/g"])
        self.aws("logs", "put-retention-policy", "--log-group-name", "/e2e/cli/g",
                 "--retention-in-days", "30")
        tags = self.aws_json("logs", "list-tags-log-group", "--log-group-name", "/e2e/cli/g")
        self.assertEqual(tags["tags"], {"a": "b"})
        self.aws("logs", "delete-log-group", "--log-group-name", "/e2e/cli/g")
        code, _, err = self.aws("logs", "delete-log-group", "--log-group-name", "/e2e/cli/g",
                                check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("ResourceNotFoundException", err)


class LogEventsTest(gee_e2e.GeeTestCase):
    def setUp(self):
        self.logs = self.client("logs")

    def make_stream(self, group, stream):
        try:
            self.logs.create_log_group(logGroupName=group)
        except self.logs.exceptions.ResourceAlreadyExistsException:
            pass
        self.logs.create_log_stream(logGroupName=group, logStreamName=stream)

    def test_boto3_put_get_and_filter_round_trip(self):
        self.make_stream("/e2e/events", "web-1")
        self.make_stream("/e2e/events", "web-2")
        t = now_ms()
        r = self.logs.put_log_events(logGroupName="/e2e/events", logStreamName="web-1", logEvents=[
            {"timestamp": t, "message": "GET / 200"},
            {"timestamp": t + 2, "message": "GET /x 500 ERROR"}])
        self.assertNotIn("rejectedLogEventsInfo", r)
        self.logs.put_log_events(logGroupName="/e2e/events", logStreamName="web-2", logEvents=[
            {"timestamp": t + 1, "message": "POST /y 500 ERROR"}])
        got = self.logs.get_log_events(logGroupName="/e2e/events", logStreamName="web-1",
                                       startFromHead=True)
        self.assertEqual([e["message"] for e in got["events"]], ["GET / 200", "GET /x 500 ERROR"])
        self.assertTrue(got["nextForwardToken"].startswith("f/"))
        self.assertTrue(got["nextBackwardToken"].startswith("b/"))
        filtered = self.logs.filter_log_events(logGroupName="/e2e/events", filterPattern="ERROR")
        self.assertEqual([(e["logStreamName"], e["message"]) for e in filtered["events"]],
                         [("web-2", "POST /y 500 ERROR"), ("web-1", "GET /x 500 ERROR")])
        phrase = self.logs.filter_log_events(logGroupName="/e2e/events", filterPattern='"GET /x"')
        self.assertEqual([e["message"] for e in phrase["events"]], ["GET /x 500 ERROR"])

    def test_boto3_get_log_events_forward_token_repeats_at_the_end(self):
        self.make_stream("/e2e/tokens", "s")
        t = now_ms()
        self.logs.put_log_events(logGroupName="/e2e/tokens", logStreamName="s", logEvents=[
            {"timestamp": t + i, "message": f"m{i}"} for i in range(5)])
        seen, token, previous = [], None, None
        for _ in range(10):
            kwargs = {"logGroupName": "/e2e/tokens", "logStreamName": "s", "limit": 2,
                      "startFromHead": True}
            if token:
                kwargs["nextToken"] = token
            page = self.logs.get_log_events(**kwargs)
            seen += [e["message"] for e in page["events"]]
            previous, token = token, page["nextForwardToken"]
            if token == previous:
                self.assertEqual(page["events"], [])
                break
        self.assertEqual(seen, ["m0", "m1", "m2", "m3", "m4"])
        self.assertAwsError("InvalidParameterException", self.logs.get_log_events,
                            logGroupName="/e2e/tokens", logStreamName="s", nextToken="nope")

    def test_boto3_filter_log_events_paginator_and_stream_selection(self):
        self.make_stream("/e2e/filterpages", "s")
        t = now_ms()
        self.logs.put_log_events(logGroupName="/e2e/filterpages", logStreamName="s", logEvents=[
            {"timestamp": t + i, "message": f"line {i}"} for i in range(7)])
        pages = self.logs.get_paginator("filter_log_events").paginate(
            logGroupName="/e2e/filterpages", PaginationConfig={"PageSize": 3})
        self.assertEqual([e["message"] for p in pages for e in p["events"]],
                         [f"line {i}" for i in range(7)])
        selected = self.logs.filter_log_events(
            logGroupName="/e2e/filterpages", filterPattern="?line ?none", logStreamNames=["s"],
            startTime=t + 5)
        self.assertEqual([e["message"] for e in selected["events"]], ["line 5", "line 6"])

    def test_boto3_put_log_events_batch_rules(self):
        self.make_stream("/e2e/rules", "s")
        t = now_ms()
        err = self.assertAwsError("InvalidParameterException", self.logs.put_log_events,
                                  logGroupName="/e2e/rules", logStreamName="s", logEvents=[
                                      {"timestamp": t, "message": "b"},
                                      {"timestamp": t - 1, "message": "a"}])
        self.assertEqual(err["Message"], "Log events in a single PutLogEvents request must be in "
                                         "chronological order.")
        big = "x" * (1048576 // 2 - 26)
        err = self.assertAwsError("InvalidParameterException", self.logs.put_log_events,
                                  logGroupName="/e2e/rules", logStreamName="s", logEvents=[
                                      {"timestamp": t, "message": big},
                                      {"timestamp": t, "message": big + "!"}])
        self.assertEqual(err["Message"], "Upload too large: 1048577 bytes exceeds limit of 1048576")
        day = 24 * 3600 * 1000
        r = self.logs.put_log_events(logGroupName="/e2e/rules", logStreamName="s", logEvents=[
            {"timestamp": t - 14 * day - 60000, "message": "too old"},
            {"timestamp": t - 14 * day + 60000, "message": "ok"}])
        self.assertEqual(r["rejectedLogEventsInfo"], {"tooOldLogEventEndIndex": 1})
        r = self.logs.put_log_events(logGroupName="/e2e/rules", logStreamName="s", logEvents=[
            {"timestamp": t, "message": "ok"},
            {"timestamp": t + 3 * 3600 * 1000, "message": "too new"}])
        self.assertEqual(r["rejectedLogEventsInfo"], {"tooNewLogEventStartIndex": 1})
        err = self.assertAwsError("ResourceNotFoundException", self.logs.put_log_events,
                                  logGroupName="/e2e/rules", logStreamName="nope",
                                  logEvents=[{"timestamp": t, "message": "m"}])
        self.assertEqual(err["Message"], "The specified log stream does not exist.")

    def test_boto3_describe_log_streams_ordering_and_delete(self):
        self.make_stream("/e2e/streams", "b")
        self.make_stream("/e2e/streams", "a")
        self.make_stream("/e2e/streams", "c")
        t = now_ms()
        for i, name in enumerate(["c", "a", "b"]):
            self.logs.put_log_events(logGroupName="/e2e/streams", logStreamName=name,
                                     logEvents=[{"timestamp": t + i, "message": name}])
        by_name = self.logs.describe_log_streams(logGroupName="/e2e/streams")["logStreams"]
        self.assertEqual([s["logStreamName"] for s in by_name], ["a", "b", "c"])
        self.assertEqual(by_name[0]["arn"],
                         GROUP_ARN.format("/e2e/streams") + ":log-stream:a")
        self.assertEqual(by_name[0]["lastEventTimestamp"], t + 1)
        by_time = self.logs.describe_log_streams(logGroupName="/e2e/streams",
                                                 orderBy="LastEventTime",
                                                 descending=True)["logStreams"]
        self.assertEqual([s["logStreamName"] for s in by_time], ["b", "a", "c"])
        self.assertAwsError("InvalidParameterException", self.logs.describe_log_streams,
                            logGroupName="/e2e/streams", orderBy="LastEventTime",
                            logStreamNamePrefix="a")
        pages = self.logs.get_paginator("describe_log_streams").paginate(
            logGroupName="/e2e/streams", PaginationConfig={"PageSize": 2})
        self.assertEqual([s["logStreamName"] for p in pages for s in p["logStreams"]],
                         ["a", "b", "c"])
        self.logs.delete_log_stream(logGroupName="/e2e/streams", logStreamName="a")
        self.assertAwsError("ResourceNotFoundException", self.logs.get_log_events,
                            logGroupName="/e2e/streams", logStreamName="a")

    def test_cli_put_get_filter_and_tail(self):
        self.make_stream("/e2e/cli", "s")
        t = now_ms()
        events = json.dumps([{"timestamp": t + i, "message": f"cli event {i}"} for i in range(3)])
        self.aws("logs", "put-log-events", "--log-group-name", "/e2e/cli", "--log-stream-name", "s",
                 "--log-events", events)
        got = self.aws_json("logs", "get-log-events", "--log-group-name", "/e2e/cli",
                            "--log-stream-name", "s", "--start-from-head")
        self.assertEqual([e["message"] for e in got["events"]],
                         ["cli event 0", "cli event 1", "cli event 2"])
        # The CLI pages filter-log-events itself (page size 1 forces three pages).
        filtered = self.aws_json("logs", "filter-log-events", "--log-group-name", "/e2e/cli",
                                 "--filter-pattern", "cli", "--page-size", "1")
        self.assertEqual([e["message"] for e in filtered["events"]],
                         ["cli event 0", "cli event 1", "cli event 2"])
        streams = self.aws_json("logs", "describe-log-streams", "--log-group-name", "/e2e/cli")
        self.assertEqual(streams["logStreams"][0]["logStreamName"], "s")
        _, out, _ = self.aws("logs", "tail", "/e2e/cli", "--since", "1h")
        self.assertIn("cli event 2", out)


if __name__ == "__main__":
    unittest.main()
