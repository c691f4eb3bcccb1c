using System.Diagnostics;

namespace Tempo.Runtime.Video;

/// <summary>The variable-code-size LZW compressor of GIF image data (GIF89a specification, appendix F).</summary>
/// <remarks>
/// Codes start at <c>minCodeSize + 1</c> bits and widen up to 12; when the code table is full (4096 entries)
/// a clear code resets it. Codes are packed least-significant bit first into sub-blocks of at most 255 bytes.
/// One instance is reused for every frame so that encoding allocates nothing.
/// </remarks>
internal sealed class GifLzwEncoder
{
    private const int MaxCodeBits = 12;
    private const int MaxCodes = 1 << MaxCodeBits;

    // Open addressing over (prefix code, symbol) pairs; twice the code capacity keeps probes short.
    private const int HashBits = 13;
    private const int HashSize = 1 << HashBits;
    private const int EmptyKey = -1;

    private const int MaxSubBlockLength = 255;

    private readonly int[] _keys = new int[HashSize];
    private readonly short[] _codes = new short[HashSize];

    // _subBlock[0] holds the length byte, so a finished sub-block is written in one call.
    private readonly byte[] _subBlock = new byte[MaxSubBlockLength + 1];
    private int _subBlockLength;
    private ulong _bitBuffer;
    private int _bitCount;

    /// <summary>Writes the image data of one frame: the minimum code size byte, the LZW sub-blocks and the block terminator.</summary>
    /// <param name="indices">Colour-table indices of the image, row-major; each below <c>2^minCodeSize</c>.</param>
    /// <param name="minCodeSize">LZW minimum code size, 2 to 8.</param>
    /// <param name="output">The stream receiving the image data.</param>
    public void Encode(ReadOnlySpan<byte> indices, int minCodeSize, Stream output)
    {
        Debug.Assert(indices.Length > 0, "A GIF image has at least one pixel.");
        Debug.Assert(minCodeSize is >= 2 and <= 8, "GIF minimum code sizes are 2 to 8.");

        output.WriteByte((byte)minCodeSize);

        var clearCode = 1 << minCodeSize;
        var endCode = clearCode + 1;
        var firstFreeCode = clearCode + 2;
        var codeSize = minCodeSize + 1;
        var nextCode = firstFreeCode;

        ResetTable();
        Emit(clearCode, codeSize, output);

        int prefix = indices[0];
        for (var i = 1; i < indices.Length; i++)
        {
            int symbol = indices[i];
            Debug.Assert(symbol < clearCode, "Colour index outside the code space.");
            var key = (prefix << 8) | symbol;
            var slot = FindSlot(key);
            if (_keys[slot] == key)
            {
                prefix = _codes[slot];
                continue;
            }

            Emit(prefix, codeSize, output);
            if (nextCode < MaxCodes)
            {
                _keys[slot] = key;
                _codes[slot] = (short)nextCode;
                nextCode++;

                // The decoder adds this entry one code later, so it widens its codes when its next free code
                // reaches 2^codeSize; being one entry ahead, the encoder widens once it has passed 2^codeSize.
                if (nextCode > (1 << codeSize) && codeSize < MaxCodeBits)
                {
                    codeSize++;
                }
            }
            else
            {
                Emit(clearCode, codeSize, output);
                ResetTable();
                codeSize = minCodeSize + 1;
                nextCode = firstFreeCode;
            }

            prefix = symbol;
        }

        Emit(prefix, codeSize, output);

        // Reading that last code makes the decoder add one more entry, which can widen the end code it reads next.
        if (nextCode < MaxCodes && nextCode + 1 > (1 << codeSize) && codeSize < MaxCodeBits)
        {
            codeSize++;
        }

        Emit(endCode, codeSize, output);

        if (_bitCount > 0)
        {
            AppendByte((byte)_bitBuffer, output);
            _bitBuffer = 0;
            _bitCount = 0;
        }

        FlushSubBlock(output);
        output.WriteByte(0);
    }

    private void ResetTable() => Array.Fill(_keys, EmptyKey);

    private int FindSlot(int key)
    {
        // Fibonacci hashing of the 20-bit key; linear probing.
        var slot = (int)(((uint)key * 2654435769u) >> (32 - HashBits));
        while (_keys[slot] != EmptyKey && _keys[slot] != key)
        {
            slot = (slot + 1) & (HashSize - 1);
        }

        return slot;
    }

    private void Emit(int code, int codeSize, Stream output)
    {
        _bitBuffer |= (ulong)code << _bitCount;
        _bitCount += codeSize;
        while (_bitCount >= 8)
        {
            AppendByte((byte)_bitBuffer, output);
            _bitBuffer >>= 8;
            _bitCount -= 8;
        }
    }

    private void AppendByte(byte value, Stream output)
    {
        _subBlock[++_subBlockLength] = value;
        if (_subBlockLength == MaxSubBlockLength)
        {
            FlushSubBlock(output);
        }
    }

    private void FlushSubBlock(Stream output)
    {
        if (_subBlockLength == 0)
        {
            return;
        }

        _subBlock[0] = (byte)_subBlockLength;
        output.Write(_subBlock, 0, _subBlockLength + 1);
        _subBlockLength = 0;
    }
}
