using System.Runtime.InteropServices;

namespace Tempo.Games.Native;

/// <summary>The Xlib, MIT-SHM and XTEST entry points the X11 back ends use (x86-64 Linux layouts).</summary>
/// <remarks>Calls whose int result carries nothing (XSync, XFlush, XFree, ...) are declared void; protocol errors arrive through the error handler.</remarks>
internal static partial class X11Native
{
    private const string LibX11 = "libX11.so.6";
    private const string LibXext = "libXext.so.6";
    private const string LibXtst = "libXtst.so.6";

    public const int ZPixmap = 2;
    public const int IsViewable = 2;
    public const ulong AllPlanes = ulong.MaxValue;
    public const ulong XaCardinal = 6;
    public const long StructureNotifyMask = 1L << 17;
    public const int QueuedAfterReading = 1;

    // Event types (X.h) a window's StructureNotify selection delivers.
    public const int DestroyNotify = 17;
    public const int UnmapNotify = 18;
    public const int MapNotify = 19;
    public const int ReparentNotify = 21;
    public const int ConfigureNotify = 22;
    public const int GravityNotify = 24;

    // XEvent is a union of 24 longs (192 bytes); type at 0, the event's window at 40 for every StructureNotify event.
    public const int EventSize = 192;
    public const int EventWindowOffset = 40;
    public const int ConfigureWidthOffset = 56;
    public const int ConfigureHeightOffset = 60;

    // XImage field offsets (x86-64): see Xlib.h struct _XImage.
    public const int ImageWidthOffset = 0;
    public const int ImageHeightOffset = 4;
    public const int ImageDataOffset = 16;
    public const int ImageBytesPerLineOffset = 44;
    public const int ImageBitsPerPixelOffset = 48;

    [LibraryImport(LibX11)]
    public static partial void XInitThreads();

    [LibraryImport(LibX11, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint XOpenDisplay(string? name);

    [LibraryImport(LibX11)]
    public static partial void XCloseDisplay(nint display);

    [LibraryImport(LibX11)]
    public static partial ulong XDefaultRootWindow(nint display);

    [LibraryImport(LibX11, StringMarshalling = StringMarshalling.Utf8)]
    public static partial ulong XInternAtom(nint display, string name, [MarshalAs(UnmanagedType.Bool)] bool onlyIfExists);

    [LibraryImport(LibX11)]
    public static partial int XQueryTree(nint display, ulong window, out ulong root, out ulong parent, out nint children, out uint childCount);

    [LibraryImport(LibX11)]
    public static partial int XGetWindowProperty(
        nint display, ulong window, ulong property, long offset, long length, int delete, ulong requestedType,
        out ulong actualType, out int actualFormat, out ulong itemCount, out ulong bytesAfter, out nint data);

    [LibraryImport(LibX11)]
    public static partial int XGetWindowAttributes(nint display, ulong window, out XWindowAttributes attributes);

    [LibraryImport(LibX11)]
    public static partial void XFree(nint data);

    [LibraryImport(LibX11)]
    public static partial void XSync(nint display, int discard);

    [LibraryImport(LibX11)]
    public static partial void XFlush(nint display);

    [LibraryImport(LibX11)]
    public static unsafe partial nint XSetErrorHandler(delegate* unmanaged<nint, nint, int> handler);

    [LibraryImport(LibX11, StringMarshalling = StringMarshalling.Utf8)]
    public static partial ulong XStringToKeysym(string name);

    [LibraryImport(LibX11)]
    public static partial byte XKeysymToKeycode(nint display, ulong keysym);

    [LibraryImport(LibX11)]
    public static partial void XDestroyImage(nint image);

    [LibraryImport(LibX11)]
    public static partial void XSelectInput(nint display, ulong window, long eventMask);

    [LibraryImport(LibX11)]
    public static partial int XEventsQueued(nint display, int mode);

    [LibraryImport(LibX11)]
    public static unsafe partial int XCheckWindowEvent(nint display, ulong window, long eventMask, byte* eventReturn);

    [LibraryImport(LibX11)]
    public static partial int XTranslateCoordinates(nint display, ulong source, ulong destination, int sourceX, int sourceY, out int destinationX, out int destinationY, out ulong child);

    [LibraryImport(LibX11)]
    public static partial ulong XCreateSimpleWindow(nint display, ulong parent, int x, int y, uint width, uint height, uint borderWidth, ulong border, ulong background);

    [LibraryImport(LibX11)]
    public static partial void XMapWindow(nint display, ulong window);

    [LibraryImport(LibX11)]
    public static partial void XMoveWindow(nint display, ulong window, int x, int y);

    [LibraryImport(LibX11)]
    public static partial void XDestroyWindow(nint display, ulong window);

    [LibraryImport(LibX11)]
    public static partial nint XDefaultGC(nint display, int screen);

    [LibraryImport(LibX11)]
    public static partial nint XDefaultVisual(nint display, int screen);

    [LibraryImport(LibX11)]
    public static partial nint XCreateImage(nint display, nint visual, uint depth, int format, int offset, nint data, uint width, uint height, int bitmapPad, int bytesPerLine);

    [LibraryImport(LibX11)]
    public static partial void XPutImage(nint display, ulong drawable, nint gc, nint image, int sourceX, int sourceY, int destinationX, int destinationY, uint width, uint height);

    [LibraryImport(LibXext)]
    public static partial int XShmQueryExtension(nint display);

    [LibraryImport(LibXext)]
    public static partial nint XShmCreateImage(nint display, nint visual, uint depth, int format, nint data, ref XShmSegmentInfo shminfo, uint width, uint height);

    [LibraryImport(LibXext)]
    public static partial int XShmAttach(nint display, ref XShmSegmentInfo shminfo);

    [LibraryImport(LibXext)]
    public static partial int XShmDetach(nint display, ref XShmSegmentInfo shminfo);

    [LibraryImport(LibXext)]
    public static partial int XShmGetImage(nint display, ulong drawable, nint image, int x, int y, ulong planeMask);

    [LibraryImport(LibXtst)]
    public static partial void XTestFakeKeyEvent(nint display, uint keycode, int isPress, ulong delay);

    [LibraryImport(LibXtst)]
    public static partial int XTestQueryExtension(nint display, out int eventBase, out int errorBase, out int major, out int minor);

    /// <summary>Xlib's XShmSegmentInfo.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct XShmSegmentInfo
    {
        public ulong ShmSeg;
        public int ShmId;
        public nint ShmAddr;
        public int ReadOnly;
    }

    /// <summary>Xlib's XWindowAttributes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct XWindowAttributes
    {
        public int X;
        public int Y;
        public int Width;
        public int Height;
        public int BorderWidth;
        public int Depth;
        public nint Visual;
        public ulong Root;
        public int Class;
        public int BitGravity;
        public int WinGravity;
        public int BackingStore;
        public ulong BackingPlanes;
        public ulong BackingPixel;
        public int SaveUnder;
        public ulong Colormap;
        public int MapInstalled;
        public int MapState;
        public long AllEventMasks;
        public long YourEventMask;
        public long DoNotPropagateMask;
        public int OverrideRedirect;
        public nint Screen;
    }

    /// <summary>Xlib's XErrorEvent.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct XErrorEvent
    {
        public int Type;
        public nint Display;
        public ulong ResourceId;
        public ulong Serial;
        public byte ErrorCode;
        public byte RequestCode;
        public byte MinorCode;
    }
}
