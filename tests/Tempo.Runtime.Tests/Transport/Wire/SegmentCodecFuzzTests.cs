using Tempo.Algorithms.Experience;
using Tempo.Runtime.Transport.Wire;
using static Tempo.Runtime.Tests.Transport.Wire.SegmentCodecRejectionTests;

namespace Tempo.Runtime.Tests.Transport.Wire;

public sealed class SegmentCodecFuzzTests
{
    private static byte[] Mutate(byte[] message, Random random)
    {
        var bytes = new List<byte>(message);
        var mutations = random.Next(1, 7);
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    {
                        var cut = random.Next(bytes.Count + 1);
                        bytes.RemoveRange(cut, bytes.Count - cut);
                        break;
                    }
                case 3:
                    bytes.Add((byte)random.Next(256));
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                default:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void TryDecode_RandomCorruption_OnlyEverRejectsWithADocumentedReason()
    {
        var random = new Random(2024);
        var codec = Codec();
        var message = Encode(Sample());
        var target = new Segment<float, int>(Small);
        var before = Fingerprint(target);

        for (var iteration = 0; iteration < 5_000; iteration++)
        {
            var damaged = Mutate(message, random);
            if (damaged.AsSpan().SequenceEqual(message))
            {
                continue;
            }

            Assert.False(codec.TryDecode(damaged, target, out var reason), $"Iteration {iteration} accepted damaged bytes.");
            Assert.NotEqual(SegmentRejection.None, reason);
            Assert.True(Enum.IsDefined(reason));
            Assert.Equal(before, Fingerprint(target));
        }
    }

    [Fact]
    public void TryDecode_CorruptionBehindAValidChecksum_IsRejectedOrDecodesToTheSameBytes()
    {
        var random = new Random(7);
        var codec = Codec();
        var message = Encode(Sample());
        var target = new Segment<float, int>(Small);
        var reencoded = new byte[codec.MaxEncodedLength];
        var accepted = 0;

        for (var iteration = 0; iteration < 5_000; iteration++)
        {
            // Damage anything after the framing fields, then fix the checksum so the semantic checks must catch it.
            var damaged = (byte[])message.Clone();
            var changes = random.Next(1, 4);
            for (var c = 0; c < changes; c++)
            {
                damaged[random.Next(12, damaged.Length - 4)] = (byte)random.Next(256);
            }

            Reseal(damaged);
            var before = Fingerprint(target);
            if (codec.TryDecode(damaged, target, out var reason))
            {
                // An accepted message is canonical: encoding what was decoded gives back exactly its bytes.
                accepted++;
                var length = codec.Encode(target, reencoded);
                Assert.Equal(damaged, reencoded[..length]);
            }
            else
            {
                Assert.True(Enum.IsDefined(reason) && reason != SegmentRejection.None);
                Assert.Equal(before, Fingerprint(target));
            }
        }

        // Most single-byte changes land in float data and stay valid: the canonical-form check above must have run.
        Assert.True(accepted > 100, $"Only {accepted} damaged messages were accepted.");
    }

    [Fact]
    public void TryDecode_RandomGarbage_IsRejectedWithoutThrowing()
    {
        var random = new Random(99);
        var codec = Codec();
        var target = new Segment<float, int>(Small);

        for (var iteration = 0; iteration < 5_000; iteration++)
        {
            var garbage = new byte[random.Next(0, 600)];
            random.NextBytes(garbage);
            if (garbage.Length >= 12 && random.Next(2) == 0)
            {
                // A plausible frame: right magic, version and declared length, so the deeper checks run too.
                "TSEG"u8.CopyTo(garbage);
                garbage[4] = 1;
                garbage[5] = 0;
                BitConverter.TryWriteBytes(garbage.AsSpan(8), (uint)garbage.Length);
                if (random.Next(2) == 0)
                {
                    Reseal(garbage);
                }
            }

            Assert.False(codec.TryDecode(garbage, target, out var reason));
            Assert.True(Enum.IsDefined(reason) && reason != SegmentRejection.None);
        }
    }
}
