using Tempo.Nn.Kernels.Selection;
using Tempo.Nn.Kernels.Simd;

namespace Tempo.Nn.Kernels;

/// <summary>Forward and backward passes of a 2-D convolution on NCHW batches (PyTorch's layouts).</summary>
/// <remarks>
/// Each image is lowered with im2col (see <see cref="Im2Col"/>) and multiplied by the weight matrix (Out × C·kh·kw), so the output lands in NCHW
/// order without a transpose; 1×1 convolutions with stride 1 and no padding skip the lowering. Layers with few output
/// positions lower a group of images side by side into one wider GEMM (forward and input gradient; see <c>GroupSize</c>). Bias and activation are
/// applied by the GEMM to each output tile while it is in cache. With a <see cref="KernelParallelism"/> of several
/// threads, batches are split by image (each thread with its own column buffer, and for the weight gradient its own
/// partial sums, added up at the end in a fixed order); a single image uses the threads inside its GEMMs instead.
/// </remarks>
public static unsafe class Conv2dKernels
{
    /// <summary>The narrowest GEMM a group of images should make (see <see cref="GroupSize"/>): 12 panels of the widest micro-kernel's 32 columns.</summary>
    private const int GroupColumns = 384;

    /// <summary>Most images per group, which bounds the scratch (the Nature CNN's groups: 5 images of 81 positions, 8 of 49).</summary>
    private const int MaxGroup = 16;

    private enum Pass
    {
        Forward,
        BackwardInput,
        BackwardWeight,
    }

    /// <summary>output[n, o, y, x] = activation(bias[o] + Σ weight[o, c, i, j] · input[n, c, y·s + i − p, x·s + j − p]).</summary>
    /// <param name="geometry">The sizes.</param>
    /// <param name="input">N×C×H×W.</param>
    /// <param name="weight">Out×C×kh×kw.</param>
    /// <param name="bias">Out elements, or empty for no bias.</param>
    /// <param name="output">N×Out×outH×outW; overwritten.</param>
    /// <param name="activation">Applied after the bias (fused).</param>
    /// <param name="parallelism">Threads and scratch to use, or null for the calling thread with pooled scratch.</param>
    public static void Forward(
        in Conv2dGeometry geometry, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        Activation activation = Activation.None, KernelParallelism? parallelism = null) =>
        Forward(KernelSelection.Current.Path, geometry, input, weight, bias, output, activation, parallelism);

    /// <summary>Computes the input gradient from the output gradient; overwrites <paramref name="inputGradient"/>.</summary>
    /// <param name="geometry">The sizes.</param>
    /// <param name="outputGradient">N×Out×outH×outW.</param>
    /// <param name="weight">Out×C×kh×kw.</param>
    /// <param name="inputGradient">N×C×H×W; overwritten.</param>
    /// <param name="parallelism">Threads and scratch to use, or null for the calling thread with pooled scratch.</param>
    public static void BackwardInput(
        in Conv2dGeometry geometry, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient,
        KernelParallelism? parallelism = null) =>
        BackwardInput(KernelSelection.Current.Path, geometry, outputGradient, weight, inputGradient, parallelism);

    /// <summary>Accumulates the weight gradient (and the bias gradient unless empty) from the output gradient.</summary>
    /// <param name="geometry">The sizes.</param>
    /// <param name="input">N×C×H×W, as given to the forward pass.</param>
    /// <param name="outputGradient">N×Out×outH×outW.</param>
    /// <param name="weightGradient">Out×C×kh×kw; added to.</param>
    /// <param name="biasGradient">Out elements added to, or empty.</param>
    /// <param name="parallelism">Threads and scratch to use, or null for the calling thread with pooled scratch.</param>
    public static void BackwardWeight(
        in Conv2dGeometry geometry, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient,
        KernelParallelism? parallelism = null) =>
        BackwardWeight(KernelSelection.Current.Path, geometry, input, outputGradient, weightGradient, biasGradient, parallelism);

    internal static void Forward(
        SimdPath path, in Conv2dGeometry geometry, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        Activation activation, KernelParallelism? parallelism)
    {
        geometry.Validate();
        CheckLength(nameof(input), input.Length, geometry.InputLength);
        CheckLength(nameof(weight), weight.Length, geometry.WeightLength);
        CheckLength(nameof(output), output.Length, geometry.OutputLength);
        if (!bias.IsEmpty)
        {
            CheckLength(nameof(bias), bias.Length, geometry.OutChannels);
        }

        if ((uint)activation > (uint)Activation.Tanh)
        {
            KernelThrow.Invalid(nameof(activation), activation, "Unknown activation.");
        }

        CheckNoOverlap(nameof(output), output, input, weight, bias);
        fixed (float* x = input, w = weight, b = bias, y = output)
        {
            var job = new Job { Geometry = geometry, Path = path, Pass = Pass.Forward, Input = x, Weight = w, Bias = bias.IsEmpty ? null : b, Output = y, Activation = activation };
            Execute(ref job, parallelism);
        }
    }

    internal static void BackwardInput(
        SimdPath path, in Conv2dGeometry geometry, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient,
        KernelParallelism? parallelism)
    {
        geometry.Validate();
        CheckLength(nameof(outputGradient), outputGradient.Length, geometry.OutputLength);
        CheckLength(nameof(weight), weight.Length, geometry.WeightLength);
        CheckLength(nameof(inputGradient), inputGradient.Length, geometry.InputLength);
        CheckNoOverlap(nameof(inputGradient), inputGradient, outputGradient, weight, default);
        fixed (float* dy = outputGradient, w = weight, dx = inputGradient)
        {
            var job = new Job { Geometry = geometry, Path = path, Pass = Pass.BackwardInput, Output = dy, Weight = w, Input = dx };
            Execute(ref job, parallelism);
        }
    }

    internal static void BackwardWeight(
        SimdPath path, in Conv2dGeometry geometry, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient,
        KernelParallelism? parallelism)
    {
        geometry.Validate();
        CheckLength(nameof(input), input.Length, geometry.InputLength);
        CheckLength(nameof(outputGradient), outputGradient.Length, geometry.OutputLength);
        CheckLength(nameof(weightGradient), weightGradient.Length, geometry.WeightLength);
        if (!biasGradient.IsEmpty)
        {
            CheckLength(nameof(biasGradient), biasGradient.Length, geometry.OutChannels);
            CheckNoOverlap(nameof(biasGradient), biasGradient, input, outputGradient, weightGradient);
        }

        CheckNoOverlap(nameof(weightGradient), weightGradient, input, outputGradient, default);
        fixed (float* x = input, dy = outputGradient, dw = weightGradient, db = biasGradient)
        {
            var job = new Job
            {
                Geometry = geometry,
                Path = path,
                Pass = Pass.BackwardWeight,
                Input = x,
                Output = dy,
                Weight = dw,
                Bias = biasGradient.IsEmpty ? null : db,
            };
            Execute(ref job, parallelism);
        }
    }

    private static void Execute(ref Job job, KernelParallelism? parallelism)
    {
        var g = job.Geometry;
        var flops = 2L * g.OutputLength * g.InChannels * g.KernelHeight * g.KernelWidth;
        if (parallelism is { ThreadCount: > 1 } && g.Batch > 1 && flops >= KernelParallelism.MinimumParallelFlops)
        {
            var parts = Math.Min(parallelism.ThreadCount, g.Batch);
            fixed (Job* state = &job)
            {
                parallelism.Run(&RunPart, state, parts);
            }

            if (job.Pass == Pass.BackwardWeight)
            {
                // Parts other than the caller's summed into their own workspace; add those partial sums once.
                var weightFloats = g.WeightLength;
                for (var part = 1; part < parts; part++)
                {
                    var partial = parallelism.Workspace(part).Gradients(GradientFloats(g));
                    Add(job.Weight, partial, weightFloats);
                    if (job.Bias != null)
                    {
                        Add(job.Bias, partial + weightFloats, g.OutChannels);
                    }
                }
            }

            return;
        }

        var workspace = parallelism?.Workspace(0);
        if (workspace is not null)
        {
            RunImages(ref job, 0, g.Batch, workspace.Columns(ScratchFloats(g)), job.Weight, job.Bias, parallelism, null);
            return;
        }

        var rented = KernelScratch.Pool.Rent((int)Math.Min(int.MaxValue, ScratchFloats(g) + 16));
        try
        {
            fixed (float* pool = rented)
            {
                var columns = (float*)(((nint)pool + 63) & ~(nint)63);
                RunImages(ref job, 0, g.Batch, columns, job.Weight, job.Bias, null, null);
            }
        }
        finally
        {
            KernelScratch.Pool.Return(rented);
        }
    }

    /// <summary>
    /// One thread's share. Forward and input-gradient passes take one group of images (<see cref="GroupSize"/>) at a time from a shared counter, so a
    /// thread whose core is busy elsewhere does less instead of holding everyone up; the weight gradient splits the
    /// batch statically so that its sums always run in the same order (results do not depend on scheduling).
    /// </summary>
    private static void RunPart(void* state, int part, int parts, GemmWorkspace workspace)
    {
        ref var job = ref *(Job*)state;
        var g = job.Geometry;
        var columns = workspace.Columns(ScratchFloats(g));
        if (job.Pass != Pass.BackwardWeight)
        {
            var group = GroupSize(g);
            while (true)
            {
                var image = (Interlocked.Increment(ref job.NextGroup) - 1) * group;
                if (image >= g.Batch)
                {
                    return;
                }

                RunImages(ref job, image, Math.Min(group, g.Batch - image), columns, job.Weight, job.Bias, null, workspace);
            }
        }

        var first = (int)((long)g.Batch * part / parts);
        var end = (int)((long)g.Batch * (part + 1) / parts);
        var weight = job.Weight;
        var bias = job.Bias;
        if (part > 0)
        {
            var partial = workspace.Gradients(GradientFloats(g));
            new Span<float>(partial, g.WeightLength + g.OutChannels).Clear();
            weight = partial;
            bias = job.Bias == null ? null : partial + g.WeightLength;
        }

        RunImages(ref job, first, end - first, columns, weight, bias, null, workspace);
    }

    /// <summary>Runs images [first, first + count) of the job on the calling thread.</summary>
    /// <param name="job">The pass and its operands.</param>
    /// <param name="first">The first image.</param>
    /// <param name="count">Images to process.</param>
    /// <param name="columns">Scratch for one image's column matrix.</param>
    /// <param name="weightOrGradient">The weights (forward, input gradient) or the weight-gradient accumulator.</param>
    /// <param name="biasOrGradient">The bias or the bias-gradient accumulator, or null.</param>
    /// <param name="parallelism">Threads for the GEMMs of a batch too small to split by image, or null.</param>
    /// <param name="workspace">The GEMM scratch of this thread, or null to rent.</param>
    private static void RunImages(ref Job job, int first, int count, float* columns, float* weightOrGradient, float* biasOrGradient, KernelParallelism? parallelism, GemmWorkspace? workspace)
    {
        var g = job.Geometry;
        if (job.Pass == Pass.BackwardWeight)
        {
            RunWeightGradient(ref job, first, count, columns, weightOrGradient, biasOrGradient, parallelism, workspace);
            return;
        }

        var depth = g.InChannels * g.KernelHeight * g.KernelWidth;
        var positions = g.OutHeight * g.OutWidth;
        var imageFloats = (nint)g.InChannels * g.Height * g.Width;
        var outputFloats = (nint)g.OutChannels * positions;
        var pointwise = g.KernelHeight == 1 && g.KernelWidth == 1 && g.Stride == 1 && g.Padding == 0;
        var group = GroupSize(g);
        var layout = new ScratchLayout(g, group, columns);
        for (var n = first; n < first + count; n += group)
        {
            var images = Math.Min(group, first + count - n);

            // One image's GEMM writes its NCHW output (or reads its output gradient) in place; a group's goes through the
            // staging matrix Out × (images·P), whose columns are the images' positions side by side.
            var staged = images > 1 || !pointwise;
            var width = images * positions;
            var output = job.Output + (n * outputFloats);
            if (job.Pass == Pass.Forward)
            {
                for (var i = 0; i < images && !pointwise; i++)
                {
                    Im2Col.Pack(job.Path, g, job.Input + ((n + i) * imageFloats), layout.Columns + (i * positions), width, layout.Phases);
                }

                if (pointwise && images > 1)
                {
                    StageImages(job.Input + (n * imageFloats), g.InChannels, positions, images, layout.Columns);
                }

                // output (Out × images·P) = W (Out × K) · columns (K × images·P), then bias per row and the activation per tile.
                var direct = images == 1;
                var problem = new GemmProblem
                {
                    A = weightOrGradient,
                    RowStrideA = depth,
                    ColumnStrideA = 1,
                    B = pointwise && images == 1 ? job.Input + (n * imageFloats) : layout.Columns,
                    RowStrideB = width,
                    ColumnStrideB = 1,
                    C = direct ? output : layout.Staging,
                    Ldc = width,
                    M = g.OutChannels,
                    N = width,
                    K = depth,
                    Epilogue = new GemmEpilogue(biasOrGradient, biasPerRow: true, job.Activation),
                };
                GemmCore.Execute(job.Path, GemmStrategy.Auto, problem, parallelism, workspace);
                if (!direct)
                {
                    UnstageImages(layout.Staging, g.OutChannels, positions, images, output);
                }

                continue;
            }

            // columns (K × images·P) = Wᵀ (K × Out) · dY (Out × images·P), then scatter-add back to each image (col2im).
            if (images > 1)
            {
                StageImages(output, g.OutChannels, positions, images, layout.Staging);
            }

            var lowered = pointwise && images == 1 ? job.Input + (n * imageFloats) : layout.Columns;
            var backward = new GemmProblem
            {
                A = weightOrGradient,
                RowStrideA = 1,
                ColumnStrideA = depth,
                B = images > 1 ? layout.Staging : output,
                RowStrideB = width,
                ColumnStrideB = 1,
                C = lowered,
                Ldc = width,
                M = depth,
                N = width,
                K = g.OutChannels,
            };
            GemmCore.Execute(job.Path, GemmStrategy.Auto, backward, parallelism, workspace);
            for (var i = 0; i < images && staged; i++)
            {
                var image = job.Input + ((n + i) * imageFloats);
                if (pointwise)
                {
                    UnstageImages(layout.Columns + (i * positions), g.InChannels, positions, 1, image, width);
                }
                else
                {
                    Im2Col.Unpack(job.Path, g, layout.Columns + (i * positions), width, image, layout.Phases);
                }
            }
        }
    }

    /// <summary>dW += dY_n · columns_nᵀ for images [first, first + count), one image at a time (a wider GEMM would not be faster: its depth is the positions).</summary>
    private static void RunWeightGradient(ref Job job, int first, int count, float* columns, float* weightGradient, float* biasGradient, KernelParallelism? parallelism, GemmWorkspace? workspace)
    {
        var g = job.Geometry;
        var depth = g.InChannels * g.KernelHeight * g.KernelWidth;
        var positions = g.OutHeight * g.OutWidth;
        var imageFloats = (nint)g.InChannels * g.Height * g.Width;
        var outputFloats = (nint)g.OutChannels * positions;
        var pointwise = g.KernelHeight == 1 && g.KernelWidth == 1 && g.Stride == 1 && g.Padding == 0;
        var layout = new ScratchLayout(g, GroupSize(g), columns);
        for (var n = first; n < first + count; n++)
        {
            var image = job.Input + (n * imageFloats);
            var output = job.Output + (n * outputFloats);
            var lowered = pointwise ? image : layout.Columns;
            if (!pointwise)
            {
                Im2Col.Pack(job.Path, g, image, layout.Columns, positions, layout.Phases);
            }

            // dW (Out × K) += dY_n (Out × P) · columnsᵀ (P × K).
            var problem = new GemmProblem
            {
                A = output,
                RowStrideA = positions,
                ColumnStrideA = 1,
                B = lowered,
                RowStrideB = 1,
                ColumnStrideB = positions,
                C = weightGradient,
                Ldc = depth,
                M = g.OutChannels,
                N = depth,
                K = positions,
                Beta = 1f,
            };
            GemmCore.Execute(job.Path, GemmStrategy.Auto, problem, parallelism, workspace);
            if (biasGradient != null)
            {
                for (var o = 0; o < g.OutChannels; o++)
                {
                    biasGradient[o] += Sum(output + ((nint)o * positions), positions);
                }
            }
        }
    }

    /// <summary>
    /// Images per GEMM in the forward and input-gradient passes: enough that a GEMM is at least <see cref="GroupColumns"/>
    /// wide. Layers with few output positions (81 and 49 in the Nature CNN) otherwise run GEMMs whose width leaves the
    /// micro-kernel's last column panel mostly empty and whose packing and call costs are paid per image.
    /// </summary>
    private static int GroupSize(in Conv2dGeometry g)
    {
        var positions = g.OutHeight * g.OutWidth;
        return Math.Clamp((GroupColumns + positions - 1) / positions, 1, Math.Min(MaxGroup, g.Batch));
    }

    /// <summary>source (images × rows × P, NCHW) to target (rows × images·P): each image's rows side by side.</summary>
    private static void StageImages(float* source, int rows, int positions, int images, float* target)
    {
        var width = (nint)images * positions;
        for (var i = 0; i < images; i++)
        {
            for (var r = 0; r < rows; r++)
            {
                new ReadOnlySpan<float>(source + ((((nint)i * rows) + r) * positions), positions).CopyTo(new Span<float>(target + (r * width) + (i * positions), positions));
            }
        }
    }

    /// <summary>The inverse of <see cref="StageImages"/>, from a staging matrix <paramref name="width"/> floats wide (images·P unless given).</summary>
    private static void UnstageImages(float* source, int rows, int positions, int images, float* target, int width = 0)
    {
        var stride = width > 0 ? width : (nint)images * positions;
        for (var i = 0; i < images; i++)
        {
            for (var r = 0; r < rows; r++)
            {
                new ReadOnlySpan<float>(source + (r * stride) + (i * positions), positions).CopyTo(new Span<float>(target + ((((nint)i * rows) + r) * positions), positions));
            }
        }
    }

    private static long ColumnFloats(in Conv2dGeometry g) => (long)g.InChannels * g.KernelHeight * g.KernelWidth * g.OutHeight * g.OutWidth;

    /// <summary>Scratch per thread: see <see cref="ScratchLayout"/>.</summary>
    private static long ScratchFloats(in Conv2dGeometry g) => ScratchLayout.Floats(g, GroupSize(g));

    private static long GradientFloats(in Conv2dGeometry g) => (long)g.WeightLength + g.OutChannels;

    private static float Sum(float* values, int count)
    {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        for (; i + 4 <= count; i += 4)
        {
            s0 += values[i];
            s1 += values[i + 1];
            s2 += values[i + 2];
            s3 += values[i + 3];
        }

        for (; i < count; i++)
        {
            s0 += values[i];
        }

        return (s0 + s1) + (s2 + s3);
    }

    private static void Add(float* destination, float* source, int count)
    {
        for (var i = 0; i < count; i++)
        {
            destination[i] += source[i];
        }
    }

    private static void CheckLength(string name, int actual, int expected)
    {
        if (actual != expected)
        {
            KernelThrow.LengthMismatch(name, actual, expected);
        }
    }

    private static void CheckNoOverlap(string name, ReadOnlySpan<float> destination, ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<float> third)
    {
        if (destination.Overlaps(first) || destination.Overlaps(second) || destination.Overlaps(third))
        {
            KernelThrow.Invalid(name, null, $"{name} must not overlap the other operands.");
        }
    }

    /// <summary>A thread's scratch: the column matrix of a group of images, the staging matrix of their outputs, the phase planes of the strided lowering.</summary>
    private readonly struct ScratchLayout
    {
        public ScratchLayout(in Conv2dGeometry g, int group, float* scratch)
        {
            Columns = scratch;
            Staging = Columns + ColumnsFloats(g, group);
            Phases = Staging + StagingFloats(g, group);
        }

        public float* Columns { get; }

        public float* Staging { get; }

        public float* Phases { get; }

        public static long Floats(in Conv2dGeometry g, int group) => ColumnsFloats(g, group) + StagingFloats(g, group) + Im2Col.PhaseFloats(g);

        private static long ColumnsFloats(in Conv2dGeometry g, int group) => RoundUp(ColumnFloats(g) * group);

        private static long StagingFloats(in Conv2dGeometry g, int group) => group == 1 ? 0 : RoundUp((long)g.OutChannels * g.OutHeight * g.OutWidth * group);

        private static long RoundUp(long floats) => (floats + 15) & ~15L;
    }

    /// <summary>One pass over a batch: what every thread needs (lives on the caller's stack for the call).</summary>
    private struct Job
    {
        public Conv2dGeometry Geometry;
        public SimdPath Path;
        public Pass Pass;
        public Activation Activation;

        /// <summary>The input (forward, weight gradient) or the input gradient being written (input gradient).</summary>
        public float* Input;

        /// <summary>The weights, or the weight-gradient accumulator.</summary>
        public float* Weight;

        /// <summary>The bias, or the bias-gradient accumulator, or null.</summary>
        public float* Bias;

        /// <summary>The output (forward) or the output gradient (backward passes).</summary>
        public float* Output;

        /// <summary>The next group of images to hand out (forward and input-gradient passes on several threads).</summary>
        public int NextGroup;
    }
}
