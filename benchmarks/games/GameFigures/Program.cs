using System.Diagnostics;
using System.Globalization;
using Tempo.Algorithms.Models;
using Tempo.Algorithms.Policies;
using Tempo.Core.Seeding;
using Tempo.Games.Imaging;
using Tempo.Games.Input;
using Tempo.Games.SuperTux;
using Tempo.Games.Supervision;
using Tempo.Games.X11;

// Real-game figures on SuperTux under Xvfb: launch-to-playable, capture p50/p99 (the framebuffer copy the game instance
// uses and XShmGetImage beside it), the whole observe→act step at 15 Hz (capture, convert/resize to 64×64 gray, frame
// stack of 4, Nature CNN batch 1, key diff) with each capture and its allocation, the CPU share of game + Xvfb + this
// process, and crash-to-playable after kill -9. Usage: GameFigures [seconds-at-15Hz]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var folder = Directory.CreateTempSubdirectory("tempo-figures-").FullName;
var levelPath = Path.Combine(folder, "level.stl");
new SuperTuxLevel { WidthTiles = 200 }.Save(levelPath);
var options = SuperTuxGame.LaunchOptions(levelPath, Path.Combine(folder, "user"), SuperTuxGame.DebianChains());

var launchWatch = Stopwatch.StartNew();
using var game = GameInstance.Launch(options);
Console.WriteLine($"launch to playable (Xvfb + game + intro skipped + chains validated): {launchWatch.Elapsed.TotalSeconds:F2} s");

const int Size = 64;
const int Stack = 4;
var frame = new byte[Size * Size];
var stack = new byte[Stack * Size * Size];
var resizer = new GrayAreaResizer(game.Frames.Width, game.Frames.Height, Size, Size);
var model = new CategoricalCnnActorCritic(Stack, Size, Size, 4, new RandomSource(1));
var keys = new KeyActions(game.Keyboard, [[], ["Right"], ["Left"], ["space"]]);
var action = new int[1];
var logProb = new float[1];
var value = new float[1];

// The game's own capture (GameInstance copies its window from the Xvfb framebuffer) beside XShmGetImage on the same
// window, the capture a display Tempo did not start gets; both in this one run so that both see the same load.
Console.WriteLine($"capture path: {game.Frames.GetType().Name} (the game's), XShmGetImage beside it");
var probe = X11Display.Open(game.DisplayName);
var window = WindowFinder.FindByPid(probe, game.ProcessId) ?? throw new InvalidOperationException("the game's window is gone");
var request = new ShmCapture(probe, window);
IFrameSource[] sources = [game.Frames, request];
string[] sourceNames = ["framebuffer copy", "XShmGetImage"];

// Back to back, beside a bare round trip to the X server (XSync on a second connection), interleaved so all three see
// the same load: when XShmGetImage's tail matches the round trip's, its tail is the wait for Xvfb to be scheduled.
var backToBack = sources.Select(_ => new double[2000]).ToArray();
var roundTrip = new double[2000];
using (var sync = X11Display.Open(game.DisplayName))
{
    for (var i = 0; i < roundTrip.Length; i++)
    {
        for (var k = 0; k < sources.Length; k++)
        {
            var t = Stopwatch.GetTimestamp();
            sources[k].Capture();
            backToBack[k][i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }

        var r = Stopwatch.GetTimestamp();
        sync.SyncAndCheck("round trip");
        roundTrip[i] = Stopwatch.GetElapsedTime(r).TotalMicroseconds;
    }
}

for (var k = 0; k < sources.Length; k++)
{
    Console.WriteLine($"capture 640x480 back to back, {sourceNames[k],-16} {roundTrip.Length} frames: {Percentiles(backToBack[k])}");
}

Console.WriteLine($"bare round trip to Xvfb (XSync), interleaved:        {Percentiles(roundTrip)}");

// At 15 Hz the steps alternate between the two captures: even steps copy the framebuffer, odd ones ask XShmGetImage.
var steps = seconds * 15;
var names = new[] { "capture", "convert/resize 64x64", "frame stack x4", "inference (Nature CNN, batch 1)", "key diff", "whole observe->act" };
var parts = names.Select(_ => new double[steps]).ToArray();
var period = TimeSpan.FromSeconds(1.0 / 15);
var cpuBefore = (Game: CpuSeconds(game.ProcessId), Xvfb: CpuSeconds(game.DisplayServerProcessId), Self: CpuSeconds(Environment.ProcessId));
var wall = Stopwatch.StartNew();
long allocated = 0;
for (var s = 0; s < steps; s++)
{
    var deadline = period * (s + 1);
    var source = sources[s % sources.Length];
    var t0 = Stopwatch.GetTimestamp();
    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
    var captured = source.Capture();
    var t1 = Stopwatch.GetTimestamp();
    resizer.Convert(captured, frame);
    var t2 = Stopwatch.GetTimestamp();
    stack.AsSpan(Size * Size).CopyTo(stack);
    frame.CopyTo(stack.AsSpan((Stack - 1) * Size * Size));
    var t3 = Stopwatch.GetTimestamp();
    model.Act(stack, 1, ActionSelection.Sample, action, logProb, value);
    var t4 = Stopwatch.GetTimestamp();
    keys.Apply(action[0]);
    var t5 = Stopwatch.GetTimestamp();
    if (s >= 15)
    {
        allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    }

    parts[0][s] = Micros(t0, t1);
    parts[1][s] = Micros(t1, t2);
    parts[2][s] = Micros(t2, t3);
    parts[3][s] = Micros(t3, t4);
    parts[4][s] = Micros(t4, t5);
    parts[5][s] = Micros(t0, t5);
    var left = deadline - wall.Elapsed;
    if (left > TimeSpan.Zero)
    {
        Thread.Sleep(left);
    }
}

keys.ReleaseAll();
var elapsed = wall.Elapsed.TotalSeconds;
var cpu = (Game: CpuSeconds(game.ProcessId) - cpuBefore.Game, Xvfb: CpuSeconds(game.DisplayServerProcessId) - cpuBefore.Xvfb, Self: CpuSeconds(Environment.ProcessId) - cpuBefore.Self);
Console.WriteLine($"observe->act at 15 Hz for {elapsed:F1} s ({steps} steps alternating the two captures; first second excluded):");
for (var k = 0; k < sources.Length; k++)
{
    Console.WriteLine($"  with the {sourceNames[k]}:");
    foreach (var p in new[] { 0, 5 })
    {
        Console.WriteLine($"    {names[p],-30} {Percentiles([.. parts[p].Skip(15).Where((_, i) => (i + 15) % sources.Length == k)])}");
    }
}

Console.WriteLine("  parts after the capture, every step:");
for (var p = 1; p < parts.Length - 1; p++)
{
    Console.WriteLine($"    {names[p],-30} {Percentiles(parts[p][15..])}");
}

Console.WriteLine($"  allocated in steady state: {allocated} bytes over {steps - 15} steps");
Console.WriteLine($"CPU share (100 % = one core): game {100 * cpu.Game / elapsed:F0} %, Xvfb {100 * cpu.Xvfb / elapsed:F0} %, actor process {100 * cpu.Self / elapsed:F0} %, total {100 * (cpu.Game + cpu.Xvfb + cpu.Self) / elapsed:F0} %");

request.Dispose();
probe.Dispose();
for (var round = 0; round < 3; round++)
{
    var killed = Stopwatch.StartNew();
    Process.GetProcessById(game.ProcessId).Kill();
    while (game.CheckHealth() != GameHealth.Exited)
    {
        Thread.Sleep(10);
    }

    var detected = killed.Elapsed.TotalSeconds;
    game.Relaunch();
    Console.WriteLine($"crash to playable (kill -9, detected after {detected:F2} s, relaunched, chains validated): {killed.Elapsed.TotalSeconds:F2} s");
}

Directory.Delete(folder, recursive: true);

static double Micros(long from, long to) => (to - from) * 1e6 / Stopwatch.Frequency;

static string Percentiles(double[] values)
{
    var sorted = values.Order().ToArray();
    double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.5),8:F1} us  p99 {At(0.99),8:F1} us  max {sorted[^1],8:F1} us");
}

static double CpuSeconds(int pid)
{
    // /proc/PID/stat fields 14 and 15 (after the parenthesised name): user and system time in clock ticks (100 per second).
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}
