using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tempo.Redis.Status;

namespace Tempo.Cli.Commands.Fleet;

/// <summary><c>tempo status</c>: the run's learner and every actor process as they last reported, as a table or JSON.</summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var fleet = new FleetOptions();
        var json = new Option<bool>("--json") { Description = "Print the status as one JSON object (for scripts)." };
        var command = new Command("status", "Show a Redis fleet's learner and actors: last seen, steps/s, policy version and lag, action gaps, segments sent and dropped, reconnects.") { json };
        fleet.AddTo(command);
        command.SetAction(parse => FleetOptions.Guard(error, () =>
        {
            using var redis = fleet.Connect(parse, log: null);
            var status = redis.ReadStatus();
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(status, FleetStatusJsonContext.Default.FleetStatus));
                return 0;
            }

            WriteTable(output, status);
            return 0;
        }));
        return command;
    }

    private static void WriteTable(TextWriter output, FleetStatus status)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {status.Run} (id {status.RunId ?? "not published"}): {status.ActorsAlive} actor processes alive, {status.ActorStepsPerSecond:F0} env steps/s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"member",-12} {"state",-5} {"seen",6} {"steps/s",8} {"policy",7} {"lag",4} {"gap p50/p99/max ms",20} {"sent",8} {"dropped",8} {"rejected",8} {"reconn",6}"));
        foreach (var m in status.Members)
        {
            var gaps = m.GapP99Ms is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{m.GapP50Ms:F1}/{m.GapP99Ms:F1}/{m.GapMaxMs:F1}");
            // A learner's row: segments received, and dropped as stale; an actor's: sent, and dropped from its full outbox.
            var sent = m.Role == FleetRole.Learner ? m.SegmentsReceived : m.SegmentsSent;
            var dropped = m.Role == FleetRole.Learner ? m.SegmentsStale : m.SegmentsDropped;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{m.Member,-12} {(m.Alive ? "alive" : "gone"),-5} {(now - m.LastSeenUnixMs) / 1000.0,5:F1}s {m.StepsPerSecond,8:F0} {m.PolicyVersion,7} {m.PolicyLag,4} {gaps,20} {sent,8} {dropped,8} {m.SegmentsRejected,8} {m.Reconnects,6}"));
        }
    }
}
