// The C ABI of onshi (abi/include/onshi/onshi.h) as P/Invoke declarations: every function, the
// event struct and the callback type. Internal: hosts use OnshiClient, EligibilityResult and
// OnshiException, which own the handles and the memory.
//
// CallingConvention.Winapi is ONSHI_CALL: __stdcall on 32-bit Windows (what onshi.dll x86 exports),
// the platform's default elsewhere (x64 Windows, Linux). One assembly then serves x86 and x64.
// Strings cross as NUL-terminated UTF-8 byte arrays (Utf8.ToNative) and come back as IntPtr
// (Utf8.FromNative): Marshal.PtrToStringAnsi would use the ANSI code page (CP932 on a Japanese
// Windows), and Marshal.PtrToStringUTF8 needs .NET Core.
using System;
using System.Runtime.InteropServices;

namespace Onshi
{
    internal static class NativeMethods
    {
        // onshi.dll beside the .exe on Windows; under mono on Linux, Onshi.Net.dll.config maps it to
        // libonshi.so.1.
        internal const string Dll = "onshi";
        const CallingConvention Conv = CallingConvention.Winapi;

        [StructLayout(LayoutKind.Sequential)]
        internal struct Event
        {
            public uint struct_size;
            public int type;
            public uint job;
            public int status;
            public int value;
            public int detail;
            public IntPtr text;
        }

        [UnmanagedFunctionPointer(Conv)]
        internal delegate void EventCallback(IntPtr userData, IntPtr ev);

        [DllImport(Dll, CallingConvention = Conv)] internal static extern uint onshi_abi_version();
        [DllImport(Dll, CallingConvention = Conv)] internal static extern IntPtr onshi_version();
        [DllImport(Dll, CallingConvention = Conv)] internal static extern IntPtr onshi_status_name(int status);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern IntPtr onshi_status_message(int status, byte[] locale);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern void onshi_free(IntPtr memory);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_open(byte[] configJson, out ContextHandle context);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_close(IntPtr context);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern IntPtr onshi_last_error(ContextHandle context);
        [DllImport(Dll, CallingConvention = Conv, EntryPoint = "onshi_last_error")] internal static extern IntPtr onshi_last_error_global(IntPtr zero);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_set_event_callback(ContextHandle context, EventCallback callback, IntPtr userData);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_poll_event(ContextHandle context, uint timeoutMs, ref Event ev);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_set_event_window(ContextHandle context, IntPtr hwnd, uint message);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_list_readers(ContextHandle context, out IntPtr json);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_check_eligibility(ContextHandle context, byte[] requestJson, byte[] secret, out uint job);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_provide_pin(ContextHandle context, uint job, byte[] secret, uint flags);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_job_cancel(ContextHandle context, uint job);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_job_wait(ContextHandle context, uint job, uint timeoutMs, out int finalStatus);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_job_state(ContextHandle context, uint job, out int state, out int finalStatus);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_job_result(ContextHandle context, uint job, out ResultHandle result);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_job_release(ContextHandle context, uint job);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_result_json(ResultHandle result, out IntPtr json);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_result_field(ResultHandle result, byte[] elementName, uint index, out IntPtr value);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_result_photo_png(ResultHandle result, out IntPtr png, out UIntPtr size);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_result_from_xml(ContextHandle context, byte[] xml, UIntPtr size, out ResultHandle result);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern void onshi_result_free(IntPtr result);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_application_validate(ContextHandle context, byte[] formJson, out IntPtr reportJson);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_application_render_pdf(ContextHandle context, byte[] formJson, byte[] optionsJson, out IntPtr pdf, out UIntPtr size);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_validate_numbers(ContextHandle context, byte[] numbersJson, out IntPtr reportJson);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_terminal_enroll(ContextHandle context, byte[] setupJson, out uint job);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_terminal_status(ContextHandle context, out uint job);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_terminal_set_end_date(ContextHandle context, byte[] date, out uint job);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_terminal_unenroll(ContextHandle context, out uint job);
        [DllImport(Dll, CallingConvention = Conv)] internal static extern int onshi_terminal_renew(ContextHandle context, out uint job);
    }

    internal static class Utf8
    {
        // string -> NUL-terminated UTF-8; null stays null (a C NULL).
        internal static byte[] ToNative(string s)
        {
            return s == null ? null : System.Text.Encoding.UTF8.GetBytes(s + "\0");
        }

        // UTF-8 char* -> string (null for NULL). Copies: onshi's memory is only borrowed.
        internal static string FromNative(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int n = 0;
            while (Marshal.ReadByte(p, n) != 0) ++n;
            byte[] bytes = new byte[n];
            Marshal.Copy(p, bytes, 0, n);
            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        // A string onshi allocated (char**): copied, then given back with onshi_free.
        internal static string TakeOwned(IntPtr p)
        {
            try { return FromNative(p); }
            finally { NativeMethods.onshi_free(p); }
        }
    }
}
