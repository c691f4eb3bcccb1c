using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tempo.Core.Seeding;
using Tempo.Dashboard.Fleet;
using Tempo.Redis;
using Tempo.Redis.Status;
using Tempo.Redis.Tests;
using Tempo.Runtime.Checkpoints;

namespace Tempo.Dashboard.Tests;

/// <summary>The endpoints and the event stream of a dashboard started from code, over run folders written by hand.</summary>
/// <remarks>Files are polled every 50 ms; waits allow seconds, a hundred polls, for a loaded 2-core machine.</remarks>
public sealed class DashboardServerTests
{
    private static readonly List<string> _log = [];

    private static DashboardOptions Options(params string[] runs) => new()
    {
        RunDirectories = runs,
        Port = 0,
        FilePollInterval = TimeSpan.FromMilliseconds(50),
        Log = line =>
        {
            lock (_log)
            {
                _log.Add(line);
            }
        },
    };

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, Uri address, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri(address, path));
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task RunsCurvesAndGapsCarryWhatTheFolderHolds()
    {
        using var folder = new TestRunFolder();
        folder.WriteHeader();
        folder.Append(TestRunFolder.Row(0), TestRunFolder.Row(1));
        await using var dashboard = await DashboardServer.StartAsync(Options(folder.Path));
        using var client = new HttpClient();

        var runs = await GetJsonAsync(client, dashboard.Address, "/api/runs");
        var run = Assert.Single(runs.EnumerateArray());
        Assert.Equal("cartpole-a", run.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("error").ValueKind);
        Assert.Equal("LiveCartPole-v1", run.GetProperty("facts").GetProperty("env").GetString());
        Assert.Equal("appo", run.GetProperty("facts").GetProperty("algorithm").GetString());
        Assert.Equal(2, run.GetProperty("rowCount").GetInt32());
        Assert.Equal(0, run.GetProperty("rows").GetArrayLength());

        var curves = await GetJsonAsync(client, dashboard.Address, "/api/runs/cartpole-a/curves");
        var columns = curves.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToArray();
        Assert.Equal(TestRunFolder.Header.Split(','), columns);
        var rows = curves.GetProperty("rows");
        Assert.Equal(1024, rows[1][Array.IndexOf(columns, "global_step")].GetDouble());
        Assert.Equal(20, rows[1][Array.IndexOf(columns, "episodic_return_mean")].GetDouble());
        Assert.Equal(4.5, rows[1][Array.IndexOf(columns, "value_loss")].GetDouble());

        var gaps = await GetJsonAsync(client, dashboard.Address, "/api/runs/cartpole-a/gaps");
        Assert.Equal(20, gaps.GetProperty("periodMs").GetDouble());
        var gapColumns = gaps.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(21, gaps.GetProperty("rows")[1][gapColumns.IndexOf("action_gap_p99_ms")].GetDouble());
        Assert.Equal(1, gaps.GetProperty("rows")[1][gapColumns.IndexOf("deadline_overruns")].GetDouble());

        var unknown = await GetJsonAsync(client, dashboard.Address, "/api/runs/nope/curves", HttpStatusCode.NotFound);
        Assert.Contains("No run named 'nope'", unknown.GetProperty("error").GetString(), StringComparison.Ordinal);
        var fleet = await GetJsonAsync(client, dashboard.Address, "/api/fleet", HttpStatusCode.NotFound);
        Assert.Contains("--redis", fleet.GetProperty("error").GetString(), StringComparison.Ordinal);

        using var page = await client.GetAsync(dashboard.Address);
        Assert.Contains("uPlot.iife.min.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var script = await client.GetAsync(new Uri(dashboard.Address, "/static/vendor/uplot/uPlot.iife.min.js"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        // uPlot's licence travels with it, served beside the script.
        using var licence = await client.GetAsync(new Uri(dashboard.Address, "/static/vendor/uplot/LICENSE"));
        Assert.Equal(HttpStatusCode.OK, licence.StatusCode);
        Assert.StartsWith("The MIT License (MIT)", await licence.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunFactsCarryTheStartAndTheLastCheckpoint()
    {
        using var folder = new TestRunFolder();
        folder.WriteHeader();
        folder.Append(TestRunFolder.Row(0));
        var configWritten = new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(folder.Path, "config.json")), TimeSpan.Zero);
        await using var dashboard = await DashboardServer.StartAsync(Options(folder.Path));
        using var client = new HttpClient();

        var facts = (await GetJsonAsync(client, dashboard.Address, "/api/runs/cartpole-a/curves")).GetProperty("facts");
        Assert.Equal(configWritten, facts.GetProperty("startedUtc").GetDateTimeOffset());
        Assert.Equal(50, facts.GetProperty("tickRateHz").GetDouble());
        Assert.Equal(1, facts.GetProperty("config").GetProperty("seed").GetInt32());
        Assert.Equal(JsonValueKind.Null, facts.GetProperty("checkpoint").ValueKind);

        // A checkpoint appears, then a newer one replaces it, while the server runs.
        var path = Path.Combine(folder.Path, CheckpointFile.FileName);
        foreach (var version in new[] { 3L, 7L })
        {
            CheckpointFile.Save(path, new TrainingCheckpoint { Config = "{}", GlobalStep = 512 * version, Updates = version, PolicyVersion = version, Episodes = 2, RandomStates = new Dictionary<string, RandomSourceState>() }, [], []);
            // A file system with a coarse clock could give both saves one time stamp; the dashboard rereads on a change of it.
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(version));
            var written = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            JsonElement checkpoint = default;
            Assert.True(await WaitUntilAsync(async () =>
            {
                checkpoint = (await GetJsonAsync(client, dashboard.Address, "/api/runs/cartpole-a/curves")).GetProperty("facts").GetProperty("checkpoint");
                // The server may read the file between the save and the time stamp set above: wait for the reread too.
                return checkpoint.ValueKind == JsonValueKind.Object && checkpoint.GetProperty("policyVersion").GetInt64() == version
                    && checkpoint.GetProperty("writtenUtc").GetDateTimeOffset() == written;
            }, 10), $"checkpoint facts {checkpoint}");
            Assert.Equal(512 * version, checkpoint.GetProperty("globalStep").GetInt64());
            Assert.Equal(version, checkpoint.GetProperty("updates").GetInt64());
            Assert.Equal(written, checkpoint.GetProperty("writtenUtc").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task TheCommandWarnsOnARemoteAddressAndPrintsTheTokenItGenerated()
    {
        using var folder = new TestRunFolder();
        using var command = new TempoProcess("dashboard", "--run-dir", folder.Path, "--port", "0", "--bind", "0.0.0.0", "--allow-remote");
        // A cold .NET process starts in seconds on a loaded 2-core machine; 60 s is many times that.
        Match? printed = null;
        Assert.True(await WaitUntilAsync(() => Task.FromResult((printed = Regex.Match(command.Output, @"dashboard at http://[^:/]+:(\d+)/\?token=([0-9a-f]{32}) ")).Success), 60), command.Output);
        Assert.Contains("warning: the dashboard listens on 0.0.0.0, so other machines can reach it.", command.Output, StringComparison.Ordinal);
        var address = new Uri($"http://127.0.0.1:{printed!.Groups[1].Value}/");
        using var client = new HttpClient();
        using (var refused = await client.GetAsync(new Uri(address, "/api/runs")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await GetJsonAsync(client, address, "/api/runs?token=" + printed.Groups[2].Value);
    }

    [Fact]
    public async Task AGrowingRunFolderStreamsItsNewRowsAfterTheSnapshot()
    {
        using var folder = new TestRunFolder();
        folder.WriteHeader();
        folder.Append(TestRunFolder.Row(0));
        await using var dashboard = await DashboardServer.StartAsync(Options(folder.Path));
        using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var events = await EventStream.OpenAsync(client, dashboard.Address);

        var snapshot = await events.NextAsync("snapshot", 10);
        Assert.Equal(1, snapshot.GetProperty("runs")[0].GetProperty("rows").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, snapshot.GetProperty("fleet").ValueKind);

        // Half a row first: nothing may be sent until its line break arrives.
        var second = TestRunFolder.Row(1);
        File.AppendAllText(folder.Metrics, second[..10]);
        await Task.Delay(300);
        File.AppendAllText(folder.Metrics, second[10..] + "\n" + TestRunFolder.Row(2) + "\n");
        var points = await events.NextAsync("points", 10);
        Assert.Equal("cartpole-a", points.GetProperty("run").GetString());
        Assert.Equal(1, points.GetProperty("firstRow").GetInt32());
        var rows = points.GetProperty("rows");
        Assert.Equal(2, rows.GetArrayLength());
        Assert.Equal(1024, rows[0][0].GetDouble());
        Assert.Equal(1536, rows[1][0].GetDouble());

        // A run that starts again in the same folder replaces the file: the page gets the whole run anew.
        File.WriteAllText(folder.Metrics, TestRunFolder.Header + "\n");
        var restarted = await events.NextAsync("run", 10, run => run.GetProperty("rowCount").GetInt32() == 0);
        Assert.Equal("cartpole-a", restarted.GetProperty("name").GetString());
    }

    [Fact]
    public async Task BadFoldersAndACorruptRowAreMessagesAndTheServerKeepsServing()
    {
        using var good = new TestRunFolder("corrupt");
        good.WriteHeader();
        good.Append(TestRunFolder.Row(0), "1024,2.5,3,oops,1,,,,,,,,,,,,,,,", TestRunFolder.Row(2));
        using var empty = new TestRunFolder("empty", withConfig: false);
        var missing = Path.Combine(good.Root, "does-not-exist");
        await using var dashboard = await DashboardServer.StartAsync(Options(good.Path, empty.Path, missing) with
        {
            Redis = RedisUrl.Parse("redis://127.0.0.1:1"),
            Run = "down",
        });
        using var client = new HttpClient();

        var runs = (await GetJsonAsync(client, dashboard.Address, "/api/runs")).EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        var corrupt = runs["corrupt"];
        Assert.Equal(2, corrupt.GetProperty("rowCount").GetInt32());
        Assert.Contains("line 3, column episodic_return_mean: 'oops' is not a number", corrupt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("holds no run", runs["empty"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("does not exist", runs["does-not-exist"].GetProperty("error").GetString(), StringComparison.Ordinal);
        // The fleet is read beside the files, not before the server starts: its first read waits out a 10 s connect.
        Assert.True(await WaitUntilAsync(async () =>
            (await GetJsonAsync(client, dashboard.Address, "/api/fleet")).GetProperty("error").GetString() is { } error
            && error.Contains("Cannot read fleet down from redis://127.0.0.1:1/0: Redis does not answer (down or unreachable)", StringComparison.Ordinal), 30));
        lock (_log)
        {
            Assert.Contains(_log, line => line.Contains("'oops' is not a number", StringComparison.Ordinal));
            Assert.Contains(_log, line => line.Contains("Cannot read fleet down", StringComparison.Ordinal));
        }

        // The missing folder appears later and is picked up without a restart.
        Directory.CreateDirectory(missing);
        File.WriteAllText(Path.Combine(missing, "metrics.csv"), TestRunFolder.Header + "\n" + TestRunFolder.Row(0) + "\n");
        Assert.True(await WaitUntilAsync(async () =>
            (await GetJsonAsync(client, dashboard.Address, "/api/runs/does-not-exist/curves")).GetProperty("rowCount").GetInt32() == 1, 10));
    }

    [Fact]
    public async Task AFileThatIsNotMetricsSaysSoOnOneLine()
    {
        using var folder = new TestRunFolder("binary");
        // What a binary file put in the wrong folder begins with: control characters, no metrics header.
        File.WriteAllText(folder.Metrics, "\u0000\u0001PK\u0003\u0004 not a csv\n1,2,3\n");
        await using var dashboard = await DashboardServer.StartAsync(Options(folder.Path));
        using var client = new HttpClient();

        var run = await GetJsonAsync(client, dashboard.Address, "/api/runs/binary/curves");
        var error = run.GetProperty("error").GetString()!;
        Assert.Contains("line 1: '??PK?? not a csv' is not a metrics header (it has no global_step column)", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        lock (_log)
        {
            Assert.Contains(_log, line => line.Contains("'??PK?? not a csv' is not a metrics header", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AFileWithNoLineBreakAtAllIsAMessageAndTheServerKeepsServing()
    {
        // Binary garbage with every line break taken out; a header caught half-written; a "line" longer than any metrics line.
        using var binary = new TestRunFolder("binary");
        var garbage = new byte[5000];
        new Random(15).NextBytes(garbage);
        File.WriteAllBytes(binary.Metrics, garbage.Select(b => b == (byte)'\n' ? (byte)0 : b).ToArray());
        using var writing = new TestRunFolder("writing");
        File.WriteAllText(writing.Metrics, TestRunFolder.Header[..20]);
        using var endless = new TestRunFolder("endless");
        File.WriteAllText(endless.Metrics, "global_step," + new string('1', 70_000));
        await using var dashboard = await DashboardServer.StartAsync(Options(binary.Path, writing.Path, endless.Path));
        using var client = new HttpClient();

        var runs = (await GetJsonAsync(client, dashboard.Address, "/api/runs")).EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        var error = runs["binary"].GetProperty("error").GetString()!;
        Assert.Contains("metrics.csv, line 1 (5,000 bytes with no line break, starting '", error, StringComparison.Ordinal);
        Assert.EndsWith("control characters; this is not a metrics file (metrics are text).", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.Equal(JsonValueKind.Null, runs["writing"].GetProperty("error").ValueKind);
        Assert.Contains("(70,012 bytes with no line break, starting 'global_step,1111", runs["endless"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("no metrics line is that long; this is not a metrics file.", runs["endless"].GetProperty("error").GetString(), StringComparison.Ordinal);
        lock (_log)
        {
            Assert.Single(_log, line => line.Contains(binary.Metrics + ", line 1 (5,000 bytes", StringComparison.Ordinal));
        }

        // The half-written header is finished and rows follow: the run draws. The binary one still says why it does not.
        File.AppendAllText(writing.Metrics, TestRunFolder.Header[20..] + "\n" + TestRunFolder.Row(0) + "\n");
        Assert.True(await WaitUntilAsync(async () =>
            (await GetJsonAsync(client, dashboard.Address, "/api/runs/writing/curves")).GetProperty("rowCount").GetInt32() == 1, 10));
        Assert.Equal(error, (await GetJsonAsync(client, dashboard.Address, "/api/runs/binary/curves")).GetProperty("error").GetString());
        lock (_log)
        {
            // Reported once, not at every poll.
            Assert.Single(_log, line => line.Contains(binary.Metrics + ", line 1 (5,000 bytes", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void FleetTimingRowsAreTheWorstAliveActorsGapsAndCountsSinceTheFirstRead()
    {
        static FleetMemberStatus Actor(int id, bool alive, double p99, long lag, long late, long dropped, long incarnation = 1) => new()
        {
            Member = $"actor-{id}",
            Role = FleetRole.Actor,
            Incarnation = incarnation,
            Alive = alive,
            GapP50Ms = p99 / 2,
            GapP99Ms = p99,
            GapMaxMs = p99 + 1,
            PolicyLag = lag,
            LateTicks = late,
            SegmentsDropped = dropped,
        };
        var learner = new FleetMemberStatus { Member = "learner", Role = FleetRole.Learner, Incarnation = 1, Alive = true, SegmentsStale = 4 };
        var history = new FleetTimingHistory("t", capacity: 4);
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_000);
        var columns = FleetTiming.ColumnNames.ToList();
        double? At(double?[] row, string column) => row[columns.IndexOf(column)];

        // Worked by hand: alive actors 0 and 1 (p99 20 and 35 ms, lags 1 and 2); actor 2 is gone and its 90 ms gap is old.
        var first = history.Add([learner, Actor(0, true, 20, 1, late: 3, dropped: 0), Actor(1, true, 35, 2, late: 1, dropped: 2), Actor(2, false, 90, 7, late: 5, dropped: 0)], t0);
        Assert.Equal(new double?[] { 1000, 2, 17.5, 35, 36, 9, 1.5, 2, 4, 2 }, first);

        // Actor 1 restarted (incarnation 2): its counts start again from its own zero and add up. Actor 0 gained 2 late ticks.
        var second = history.Add([learner with { SegmentsStale = 6 }, Actor(0, true, 20, 0, late: 5, dropped: 0), Actor(1, true, 25, 0, late: 1, dropped: 0, incarnation: 2), Actor(2, false, 90, 7, late: 5, dropped: 0)], t0.AddSeconds(1));
        Assert.Equal(12, At(second, "deadline_overruns"));
        Assert.Equal(6, At(second, "segments_dropped_stale"));
        Assert.Equal(2, At(second, "segments_dropped_queue_full"));
        Assert.Equal(0, At(second, "policy_lag_max"));

        // No actor alive: no gaps and no lag, not zeros.
        var none = history.Add([learner with { SegmentsStale = 6 }], t0.AddSeconds(2));
        Assert.Equal(0, At(none, "actors_alive"));
        Assert.Null(At(none, "action_gap_p99_ms"));
        Assert.Null(At(none, "policy_lag_mean"));

        // At capacity every second row goes: rows 0, 2 stay, then the new one.
        history.Add([learner], t0.AddSeconds(3));
        history.Add([learner], t0.AddSeconds(4));
        Assert.Equal(new[] { 1000.0, 1002, 1004 }, history.View().Rows.Select(r => r[0]!.Value));
    }

    [SkippableFact]
    public async Task ARedisThatIsDownIsAnErrorInTheStreamAndTheLogUntilItComesBack()
    {
        using var redis = RedisServer.Start();
        redis.Kill();
        await using var dashboard = await DashboardServer.StartAsync(Options() with { Redis = redis.Url, Run = "back" });
        using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var events = await EventStream.OpenAsync(client, dashboard.Address);

        // A fleet read every 1 s; the client's reconnect backoff is at most 2 s and a connect 2 s; 30 s and 60 s leave several times both on a loaded machine.
        var down = await events.NextAsync("fleet", 30, f => f.GetProperty("error").ValueKind == JsonValueKind.String);
        Assert.Contains($"Cannot read fleet back from {redis.Url}: Redis does not answer", down.GetProperty("error").GetString(), StringComparison.Ordinal);
        redis.Start();
        var answering = Stopwatch.StartNew();
        var back = await events.NextAsync("fleet", 60, f => f.GetProperty("error").ValueKind == JsonValueKind.Null);
        Assert.Equal("back", back.GetProperty("run").GetString());
        // A read waits at most a heartbeat (1 s) to connect, so the next read after Redis answers sees it: about two
        // heartbeats; it took about 11 s when a read waited out the client's 10 s first connection. 8 s is 4 times the
        // expected time, for a loaded machine, and still below what the old wait alone cost.
        Assert.True(answering.Elapsed < TimeSpan.FromSeconds(8), $"the fleet read again {answering.Elapsed.TotalSeconds:0.0} s after Redis answered");
        lock (_log)
        {
            Assert.Contains(_log, line => line.Contains("Cannot read fleet back", StringComparison.Ordinal));
            Assert.Contains(_log, line => line.Contains($"fleet back at {redis.Url}: reachable again", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ATokenIsNeededAndTheQueryTokenBecomesACookie()
    {
        using var folder = new TestRunFolder();
        var token = DashboardServer.NewToken();
        await using var dashboard = await DashboardServer.StartAsync(Options(folder.Path) with { Token = token });
        Assert.EndsWith("?token=" + token, dashboard.PageUrl.ToString(), StringComparison.Ordinal);
        using var handler = new HttpClientHandler { UseCookies = true };
        using var client = new HttpClient(handler);

        using (var refused = await client.GetAsync(new Uri(dashboard.Address, "/api/runs")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("access token", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var wrong = await client.GetAsync(new Uri(dashboard.Address, "/api/runs?token=" + DashboardServer.NewToken())))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var page = await client.GetAsync(dashboard.PageUrl))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // The cookie the page got lets its own requests through without the token in their URLs.
        using (var runs = await client.GetAsync(new Uri(dashboard.Address, "/api/runs")))
        {
            Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        }

        using var bearerClient = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(dashboard.Address, "/api/runs"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var bearer = await bearerClient.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
    }

    [Fact]
    public async Task ANonLoopbackAddressNeedsAllowRemote()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => DashboardServer.StartAsync(Options() with { Bind = IPAddress.Any }));
        Assert.Contains("--bind 0.0.0.0", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-remote", refused.Message, StringComparison.Ordinal);
        var shortToken = await Assert.ThrowsAsync<ArgumentException>(() => DashboardServer.StartAsync(Options() with { Token = "abc" }));
        Assert.Contains("'abc' is too short", shortToken.Message, StringComparison.Ordinal);
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, double seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
