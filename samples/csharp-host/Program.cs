// onshi-csharp-host — a .NET host that calls onshi through P/Invoke. The Onshi class below is the
// part a C# or VB.NET receipt program copies: declarations, the event struct, the callback
// delegate, and UTF-8 string marshalling that also works on .NET Framework 4.x.
//
// The same flow as samples/c-host:
//   1. check the ABI major before calling anything else;
//   2. open a context from a configuration file (docs/config.md);
//   3. register this terminal once (端末登録) with the facility's setup credentials;
//   4. run a PIN check in the CALLBACK style (events arrive on an onshi thread);
//   5. run a visual check (目視確認) in the POLL style;
//   6. print the verdict and a few official 資格確認結果 fields with onshi_result_field.
//
//   mono onshi-csharp-host.exe --config FILE [--setup FILE] [--reader NAME]
//                              [--visual-reader NAME] [--allow-last-attempt]
//
// The PIN is the first line of stdin: it stands for the PIN pad of a real reception screen.
// Finding the library: on Windows, put onshi.dll next to the .exe. Under mono on Linux,
// onshi-csharp-host.exe.config maps "onshi" to libonshi.so.1, found through LD_LIBRARY_PATH or
// the system's library path (an installed package needs nothing else).
// Exit status: 0 when both checks produced a result, 1 when one failed, 2 on a usage/setup error.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

static class Onshi
{
    const string Dll = "onshi"; // onshi.dll on Windows; see the .exe.config for mono on Linux
    // ONSHI_CALL: __stdcall on 32-bit Windows, the platform default (cdecl) everywhere else.
    // A host built for x86 Windows uses CallingConvention.StdCall here and in the delegate.
    const CallingConvention Conv = CallingConvention.Cdecl;

    public const int OK = 0;
    public const int E_TIMEOUT = 7;
    public const int E_ALREADY_ENROLLED = 211;
    public const int EVENT_PROGRESS = 1, EVENT_PIN_NEEDED = 2, EVENT_DONE = 3, EVENT_FAILED = 4,
                     EVENT_CANCELLED = 5, EVENT_CARD_REMOVED = 19;
    public const uint PIN_ALLOW_LAST_ATTEMPT = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct Event
    {
        public uint struct_size; // set to Marshal.SizeOf(typeof(Event)) before onshi_poll_event
        public int type;
        public uint job;
        public int status;
        public int value;
        public int detail;
        public IntPtr text;      // UTF-8; read it with Onshi.Utf8String while it is valid
    }

    [UnmanagedFunctionPointer(Conv)]
    public delegate void EventCallback(IntPtr userData, ref Event ev);

    // Strings go in as NUL-terminated UTF-8 byte arrays (see Utf8) and come out as IntPtr.
    [DllImport(Dll, CallingConvention = Conv)] public static extern uint onshi_abi_version();
    [DllImport(Dll, CallingConvention = Conv)] public static extern IntPtr onshi_version();
    [DllImport(Dll, CallingConvention = Conv)] public static extern IntPtr onshi_status_name(int status);
    [DllImport(Dll, CallingConvention = Conv)] public static extern IntPtr onshi_last_error(IntPtr ctx);
    [DllImport(Dll, CallingConvention = Conv)] public static extern void onshi_free(IntPtr memory);
    [DllImport(Dll, CallingConvention = Conv)] public static extern int onshi_open(byte[] config, out IntPtr ctx);
    [DllImport(Dll, CallingConvention = Conv)] public static extern int onshi_close(IntPtr ctx);
    [DllImport(Dll, CallingConvention = Conv)]
    public static extern int onshi_set_event_callback(IntPtr ctx, EventCallback cb, IntPtr userData);
    [DllImport(Dll, CallingConvention = Conv)]
    public static extern int onshi_poll_event(IntPtr ctx, uint timeoutMs, ref Event ev);
    [DllImport(Dll, CallingConvention = Conv)] public static extern int onshi_list_readers(IntPtr ctx, out IntPtr json);
    [DllImport(Dll, CallingConvention = Conv)]
    public static extern int onshi_check_eligibility(IntPtr ctx, byte[] request, byte[] secret, out uint job);
    [DllImport(Dll, CallingConvention = Conv)]
    public static extern int onshi_provide_pin(IntPtr ctx, uint job, byte[] secret, uint flags);
    [DllImport(Dll, CallingConvention = Conv)]
    public static extern int onshi_job_wait(IntPtr ctx, uint job, uint timeoutMs, out int finalStatus);
    [DllImport(Dll, CallingConvention = Conv)] public static extern int onshi_job_result(IntPtr ctx, uint job, out IntPtr result);
    [DllImport(Dll, CallingConvention = Conv)] public static extern int onshi_job_release(IntPtr ctx, uint job);
    [DllImport(Dll, CallingConvention = Conv)]
    public static extern int onshi_result_field(IntPtr result, byte[] name, uint index, out IntPtr value);
    [DllImport(Dll, CallingConvention = Conv)] public static extern void onshi_result_free(IntPtr result);
    [DllImport(Dll, CallingConvention = Conv)] public static extern int onshi_terminal_enroll(IntPtr ctx, byte[] setup, out uint job);

    // string -> NUL-terminated UTF-8 (null stays null, i.e. a C NULL).
    public static byte[] Utf8(string s) { return s == null ? null : Encoding.UTF8.GetBytes(s + "\0"); }

    // UTF-8 char* -> string. (Marshal.PtrToStringAnsi would use the ANSI code page, CP932 on a
    // Japanese Windows: wrong for onshi's UTF-8. Marshal.PtrToStringUTF8 needs .NET Core / 5+.)
    public static string Utf8String(IntPtr p)
    {
        if (p == IntPtr.Zero) return null;
        int n = 0;
        while (Marshal.ReadByte(p, n) != 0) ++n;
        byte[] bytes = new byte[n];
        Marshal.Copy(p, bytes, 0, n);
        return Encoding.UTF8.GetString(bytes);
    }

    public static string StatusName(int status) { return Utf8String(onshi_status_name(status)); }
}

class Program
{
    static readonly string[] Fields = { "Name", "InsurerNumber", "InsuredCardSymbol",
        "InsuredIdentificationNumber", "QualificationValidity", "InsuredPartialContributionRatio" };

    IntPtr ctx;
    string pin;               // what the patient typed on the PIN pad
    bool allowLastAttempt;    // the patient was told "this is the last try" and agreed
    // The delegate handed to onshi must stay reachable until the callback is cleared or onshi_close
    // returns; a field does that (a local would be collected, and onshi would call freed memory).
    Onshi.EventCallback callback;

    static string ProgressText(int value)
    {
        switch (value)
        {
            case 1: return "カードを置いてください (waiting for the card)";
            case 2: return "カード読み取り中 (reading the card)";
            case 3: return "暗証番号確認中 (verifying the PIN)";
            case 4: return "署名中 (signing)";
            case 5: return "顔写真読み取り中 (reading the face photo)";
            case 6: return "照会中 (asking the gateway)";
            default: return "…"; // a newer library may add steps
        }
    }

    static string Request(string reader, string method)
    {
        string r = reader.Replace("\\", "\\\\").Replace("\"", "\\\"");
        return reader.Length == 0 ? "{\"method\":\"" + method + "\"}"
                                  : "{\"reader\":\"" + r + "\",\"method\":\"" + method + "\"}";
    }

    string LastError() { return Onshi.Utf8String(Onshi.onshi_last_error(ctx)); }

    string Field(IntPtr result, string name)
    {
        IntPtr value;
        if (Onshi.onshi_result_field(result, Onshi.Utf8(name), 0, out value) != Onshi.OK) return null; // absent
        return Onshi.Utf8String(value); // owned by the result: copied here
    }

    bool PrintResult(uint job, int finalStatus)
    {
        IntPtr result;
        if (Onshi.onshi_job_result(ctx, job, out result) != Onshi.OK)
        {
            Console.Error.WriteLine("no result: " + LastError());
            return false;
        }
        try
        {
            if (finalStatus != Onshi.OK)
            {
                // A failed job's result holds the error: status, message (context locale), tries_left.
                Console.WriteLine("  failed: " + Onshi.StatusName(finalStatus) + " — " + Field(result, "message"));
            }
            else
            {
                Console.WriteLine("  verdict: " + Field(result, "verdict")); // eligible / not_eligible / needs_attention
                foreach (string name in Fields)
                {
                    string value = Field(result, name);
                    // Fixed-width values ("  138057"): shown without the padding.
                    if (value != null) Console.WriteLine("  " + name + ": " + value.TrimStart(' '));
                }
            }
        }
        finally
        {
            Onshi.onshi_result_free(result);   // never Marshal.FreeHGlobal: onshi frees its own memory
            Onshi.onshi_job_release(ctx, job); // every job is released once its result is taken
        }
        return finalStatus == Onshi.OK;
    }

    void Drain(uint timeoutMs)
    {
        var ev = new Onshi.Event();
        ev.struct_size = (uint)Marshal.SizeOf(typeof(Onshi.Event));
        while (Onshi.onshi_poll_event(ctx, timeoutMs, ref ev) == Onshi.OK)
        {
            timeoutMs = 0;
            ev.struct_size = (uint)Marshal.SizeOf(typeof(Onshi.Event));
        }
    }

    bool Enroll(string setupFile)
    {
        uint job;
        int status;
        if (Onshi.onshi_terminal_enroll(ctx, Onshi.Utf8(File.ReadAllText(setupFile)), out job) != Onshi.OK ||
            Onshi.onshi_job_wait(ctx, job, 60000, out status) != Onshi.OK)
        {
            Console.Error.WriteLine("enrollment not started: " + LastError());
            return false;
        }
        Onshi.onshi_job_release(ctx, job);
        if (status == Onshi.E_ALREADY_ENROLLED)
        {
            Console.WriteLine("端末登録: 登録済み (already enrolled)");
            return true;
        }
        Console.WriteLine("端末登録: " + (status == Onshi.OK ? "完了 (enrolled)" : Onshi.StatusName(status)));
        return status == Onshi.OK;
    }

    // Up to 3 s until the reader monitor (started by onshi_open) lists a reader with a card.
    void WaitForReaders()
    {
        for (int i = 0; i < 30; ++i)
        {
            IntPtr json;
            if (Onshi.onshi_list_readers(ctx, out json) == Onshi.OK)
            {
                string readers = Onshi.Utf8String(json);
                Onshi.onshi_free(json); // onshi's memory goes back to onshi
                if (readers.Contains("\"card_present\":true"))
                {
                    Console.WriteLine("readers: " + readers);
                    return;
                }
            }
            Drain(100); // doubles as a 100 ms wait
        }
    }

    // Runs on an onshi thread, one event at a time. It must not let an exception escape and should
    // return quickly: a WinForms / WPF host calls BeginInvoke / Dispatcher.BeginInvoke here.
    void OnEvent(IntPtr userData, ref Onshi.Event ev)
    {
        try
        {
            switch (ev.type)
            {
                case Onshi.EVENT_PROGRESS:
                    Console.WriteLine("  [callback] " + ProgressText(ev.value));
                    break;
                case Onshi.EVENT_PIN_NEEDED:
                {
                    // The PIN pad shows the tries left. With 1 try left, spend it only with the
                    // patient's explicit OK, else onshi ends the job with ONSHI_E_LAST_TRY_REFUSED.
                    Console.WriteLine("  [callback] 暗証番号を入力してください (PIN needed, " + ev.value + " tries left)");
                    byte[] secret = Onshi.Utf8(pin);
                    pin = ""; // one PIN, one try: never re-send it
                    int st = Onshi.onshi_provide_pin(ctx, ev.job, secret, allowLastAttempt ? Onshi.PIN_ALLOW_LAST_ATTEMPT : 0);
                    Array.Clear(secret, 0, secret.Length);
                    if (st != Onshi.OK) Console.WriteLine("  [callback] PIN refused: " + Onshi.StatusName(st));
                    break;
                }
                case Onshi.EVENT_FAILED:
                    // Never retry a PIN on the patient's behalf: ask them, then start a new job.
                    Console.WriteLine("  [callback] failed: " + Onshi.StatusName(ev.status) + " (tries left " + ev.value + ")");
                    break;
                case Onshi.EVENT_CARD_REMOVED:
                    Console.WriteLine("  [callback] card removed from " + Onshi.Utf8String(ev.text));
                    break;
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("  [callback] error: " + e.Message);
        }
    }

    bool PinCheck(string reader)
    {
        Drain(0); // events queued so far (enrollment, readers) would reach the callback at once
        callback = OnEvent;
        Onshi.onshi_set_event_callback(ctx, callback, IntPtr.Zero);
        uint job;
        // No PIN up front (null): onshi asks with ONSHI_EVENT_PIN_NEEDED once the card is read.
        if (Onshi.onshi_check_eligibility(ctx, Onshi.Utf8(Request(reader, "pin")), null, out job) != Onshi.OK)
        {
            Console.Error.WriteLine("check not started: " + LastError());
            return false;
        }
        int final;
        // A console host can wait; a GUI host returns to its message loop instead.
        Onshi.onshi_job_wait(ctx, job, 120000, out final);
        Onshi.onshi_set_event_callback(ctx, null, IntPtr.Zero); // back to the queue (poll style)
        return PrintResult(job, final);
    }

    bool VisualCheck(string reader)
    {
        uint job;
        // 目視確認: staff compared the patient with the card's face photo.
        if (Onshi.onshi_check_eligibility(ctx, Onshi.Utf8(Request(reader, "visual")), null, out job) != Onshi.OK)
        {
            Console.Error.WriteLine("check not started: " + LastError());
            return false;
        }
        var ev = new Onshi.Event();
        for (int i = 0; i < 240; ++i) // a GUI host polls with timeout 0 from a timer instead
        {
            ev.struct_size = (uint)Marshal.SizeOf(typeof(Onshi.Event));
            if (Onshi.onshi_poll_event(ctx, 500, ref ev) != Onshi.OK || ev.job != job)
                continue; // ONSHI_E_TIMEOUT (nothing happened) or a reader / card event
            if (ev.type == Onshi.EVENT_PROGRESS) Console.WriteLine("  [poll] " + ProgressText(ev.value));
            if (ev.type == Onshi.EVENT_DONE || ev.type == Onshi.EVENT_FAILED || ev.type == Onshi.EVENT_CANCELLED)
                return PrintResult(job, ev.status);
        }
        Console.Error.WriteLine("the visual check did not end in time");
        return false;
    }

    static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        string config = null, setup = null, reader = "", visualReader = "";
        var p = new Program();
        for (int i = 0; i < args.Length; ++i)
        {
            string value = i + 1 < args.Length ? args[i + 1] : null;
            if (args[i] == "--allow-last-attempt") { p.allowLastAttempt = true; continue; }
            if (value == null) { config = null; break; }
            if (args[i] == "--config") config = value;
            else if (args[i] == "--setup") setup = value;
            else if (args[i] == "--reader") reader = value;
            else if (args[i] == "--visual-reader") visualReader = value;
            else { config = null; break; }
            ++i;
        }
        if (config == null)
        {
            Console.Error.WriteLine("usage: onshi-csharp-host.exe --config FILE [--setup FILE] [--reader NAME]" +
                                    " [--visual-reader NAME] [--allow-last-attempt]   (PIN on stdin)");
            return 2;
        }
        p.pin = (Console.In.ReadLine() ?? "").Trim(); // the PIN pad

        uint abi;
        try
        {
            abi = Onshi.onshi_abi_version(); // first call: DllNotFoundException if onshi is missing
        }
        catch (DllNotFoundException e)
        {
            Console.Error.WriteLine("cannot load onshi: " + e.Message);
            return 2;
        }
        if ((abi >> 16) != 1)
        {
            Console.Error.WriteLine("onshi ABI " + (abi >> 16) + " is not the ABI 1 this host was written for");
            return 2;
        }
        Console.WriteLine("onshi " + Onshi.Utf8String(Onshi.onshi_version()) + " (ABI " + (abi >> 16) + "." + (abi & 0xFFFF) + ")");

        if (Onshi.onshi_open(Onshi.Utf8(File.ReadAllText(config)), out p.ctx) != Onshi.OK)
        {
            Console.Error.WriteLine("onshi_open: " + Onshi.Utf8String(Onshi.onshi_last_error(IntPtr.Zero)));
            return 2;
        }
        try
        {
            if (setup != null && !p.Enroll(setup)) return 2;
            p.WaitForReaders();
            Console.WriteLine("資格確認 (PIN, callback style)");
            bool ok = p.PinCheck(reader);
            Console.WriteLine("資格確認 (目視確認 visual, poll style)");
            ok = p.VisualCheck(visualReader) && ok;
            return ok ? 0 : 1;
        }
        finally
        {
            Onshi.onshi_close(p.ctx); // ends every job and thread; no callback after it returns
            GC.KeepAlive(p.callback);
        }
    }
}
