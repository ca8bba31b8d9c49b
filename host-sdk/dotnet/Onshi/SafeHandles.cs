// SafeHandles for onshi's two handle types: the runtime frees them exactly once, also when a host
// forgets Dispose or a thread is aborted between the call and the assignment.
using System;
using System.Runtime.InteropServices;

namespace Onshi
{
    /// <summary>An onshi_context*: onshi_close when released.</summary>
    internal sealed class ContextHandle : SafeHandle
    {
        ContextHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        // onshi_close cancels every job, delivers their final events and joins onshi's threads;
        // after it returns onshi never calls the host again for this context.
        protected override bool ReleaseHandle() { return NativeMethods.onshi_close(handle) == 0; }
    }

    /// <summary>An onshi_result*: onshi_result_free when released (never Marshal.FreeHGlobal).</summary>
    internal sealed class ResultHandle : SafeHandle
    {
        ResultHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { NativeMethods.onshi_result_free(handle); return true; }
    }
}
