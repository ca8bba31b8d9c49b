// The outcome of a check (or of an imported result XML): onshi's verdict and the official
// 資格確認結果 elements. Owns the onshi_result; Dispose frees it (the finalizer does if a host forgets).
using System;
using System.Runtime.InteropServices;

namespace Onshi
{
    public sealed class EligibilityResult : IDisposable
    {
        readonly ResultHandle handle;

        internal EligibilityResult(ResultHandle handle) { this.handle = handle; }

        /// <summary>"eligible", "not_eligible" or "needs_attention" (read it first).</summary>
        public string Verdict { get { return Field("verdict"); } }

        /// <summary>The index-th string value named so anywhere in the result ("InsurerNumber",
        /// "QualificationValidity", ...), exactly as sent ("  138057"); null when absent.</summary>
        public string Field(string name, uint index = 0)
        {
            IntPtr value;
            int status = NativeMethods.onshi_result_field(handle, Utf8.ToNative(name), index, out value);
            if (status == OnshiStatus.NotFound) return null;
            if (status != OnshiStatus.Ok) throw new OnshiException(status, Utf8.FromNative(NativeMethods.onshi_last_error_global(IntPtr.Zero)));
            return Utf8.FromNative(value);
        }

        /// <summary>The whole result as JSON (schema: docs/abi.md "Result JSON").</summary>
        public string Json
        {
            get
            {
                IntPtr json;
                int status = NativeMethods.onshi_result_json(handle, out json);
                if (status != OnshiStatus.Ok) throw new OnshiException(status, Utf8.FromNative(NativeMethods.onshi_last_error_global(IntPtr.Zero)));
                return Utf8.FromNative(json);
            }
        }

        /// <summary>The IC chip's face photo as PNG (visual checks with "photo": true), or null.</summary>
        public byte[] PhotoPng
        {
            get
            {
                IntPtr png;
                UIntPtr size;
                if (NativeMethods.onshi_result_photo_png(handle, out png, out size) != OnshiStatus.Ok) return null;
                byte[] bytes = new byte[(int)size.ToUInt64()];
                Marshal.Copy(png, bytes, 0, bytes.Length);
                return bytes;
            }
        }

        public void Dispose() { handle.Dispose(); }
    }
}
