// OnshiClient: one onshi context for a .NET host. Checks are Tasks (CheckEligibilityAsync), with
// a CancellationToken that cancels the job; failures are OnshiExceptions; progress, secret and
// reader events are raised on the SynchronizationContext that was current when the client was
// created (a WinForms / WPF UI thread), so handlers may touch the UI directly.
//
//   using (var onshi = new OnshiClient(File.ReadAllText("onshi.json")))
//   {
//       onshi.SecretNeeded += (s, e) => onshi.ProvideSecret(e.Job, pinPad.Text, allowLastAttempt: false);
//       using (EligibilityResult r = await onshi.CheckEligibilityAsync(OnshiClient.CheckRequest("pin")))
//           label.Text = r.Verdict + " " + r.Field("InsurerNumber");
//   }
//
// Without a SynchronizationContext (a console program, a service) the events are raised on onshi's
// event thread, in order, one at a time; such a handler must return quickly and must not Dispose
// the client. The tasks never complete on onshi's thread (their continuations run asynchronously).
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Onshi
{
    public sealed class OnshiClient : IDisposable
    {
        /// <summary>The ABI major this library was written for (ONSHI_ABI_VERSION_MAJOR).</summary>
        public const uint AbiMajor = 1;

        readonly ContextHandle context;
        readonly SynchronizationContext syncContext;
        // Kept in a field: onshi calls it until onshi_close returns; a collected delegate would be
        // a call into freed memory.
        readonly NativeMethods.EventCallback callback;
        readonly object gate = new object();
        readonly Dictionary<uint, TaskCompletionSource<ResultHandle>> pending =
            new Dictionary<uint, TaskCompletionSource<ResultHandle>>();
        // Jobs that ended before their starter registered them (a job can fail at once).
        readonly Dictionary<uint, Action<TaskCompletionSource<ResultHandle>>> endedEarly =
            new Dictionary<uint, Action<TaskCompletionSource<ResultHandle>>>();
        int disposed;

        /// <summary>Progress of a job (value: OnshiProgress).</summary>
        public event EventHandler<OnshiEventArgs> ProgressChanged;
        /// <summary>A job waits for the PIN or 照合番号B (Detail: OnshiSecret, Value: tries left,
        /// Text: the prompt). Answer with ProvideSecret; never retry a secret for the patient.</summary>
        public event EventHandler<OnshiEventArgs> SecretNeeded;
        /// <summary>A reader was added or removed, a card inserted or removed (Text: the reader).</summary>
        public event EventHandler<OnshiEventArgs> ReaderChanged;

        /// <summary>Opens a context from a JSON configuration (docs/config.md). Throws
        /// DllNotFoundException when onshi.dll / libonshi.so.1 is missing, NotSupportedException
        /// when its ABI major differs, OnshiException (e.g. ONSHI_E_CONFIG) when it cannot open.</summary>
        public OnshiClient(string configJson)
        {
            uint abi = NativeMethods.onshi_abi_version();
            if ((abi >> 16) != AbiMajor)
                throw new NotSupportedException("onshi ABI " + (abi >> 16) + " is not the ABI " + AbiMajor + " this library was written for");
            int status = NativeMethods.onshi_open(Utf8.ToNative(configJson), out context);
            if (status != OnshiStatus.Ok)
                throw new OnshiException(status, Utf8.FromNative(NativeMethods.onshi_last_error_global(IntPtr.Zero)));
            syncContext = SynchronizationContext.Current;
            callback = OnNativeEvent;
            status = NativeMethods.onshi_set_event_callback(context, callback, IntPtr.Zero);
            if (status != OnshiStatus.Ok)
            {
                string detail = LastError();
                context.Dispose();
                throw new OnshiException(status, detail);
            }
        }

        /// <summary>ONSHI_ABI_VERSION of the loaded library (major &lt;&lt; 16 | minor).</summary>
        public static uint AbiVersion { get { return NativeMethods.onshi_abi_version(); } }
        /// <summary>The loaded library's release version, e.g. "0.1.0".</summary>
        public static string Version { get { return Utf8.FromNative(NativeMethods.onshi_version()); } }
        public static string StatusName(int status) { return Utf8.FromNative(NativeMethods.onshi_status_name(status)); }
        /// <summary>onshi's generic message for a status, locale "ja" or "en".</summary>
        public static string StatusMessage(int status, string locale)
        {
            return Utf8.FromNative(NativeMethods.onshi_status_message(status, Utf8.ToNative(locale)));
        }

        /// <summary>A check request: method "pin" or "visual", the reader (null: the only reader
        /// with a card). Other members (docs/abi.md) can be written as JSON directly.</summary>
        public static string CheckRequest(string method, string reader = null)
        {
            string m = "\"method\":\"" + JsonEscape(method) + "\"";
            return reader == null ? "{" + m + "}" : "{\"reader\":\"" + JsonEscape(reader) + "\"," + m + "}";
        }

        /// <summary>Runs an eligibility check. The secret may be given up front (null: onshi asks
        /// with SecretNeeded). Cancelling the token cancels the job (no PIN try is spent by
        /// cancelling); the task then ends as cancelled. A failed check throws OnshiException.</summary>
        public async Task<EligibilityResult> CheckEligibilityAsync(string requestJson, string secret = null,
                                                                   CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] request = Utf8.ToNative(requestJson);
            byte[] secretBytes = Utf8.ToNative(secret);
            Task<ResultHandle> job;
            try
            {
                job = StartJob((out uint id) => NativeMethods.onshi_check_eligibility(context, request, secretBytes, out id),
                               cancellationToken);
            }
            finally
            {
                if (secretBytes != null) Array.Clear(secretBytes, 0, secretBytes.Length); // onshi has its copy
            }
            return new EligibilityResult(await job.ConfigureAwait(false));
        }

        /// <summary>Registers this terminal (端末登録) with the facility's setup credentials; returns
        /// the terminal result JSON. ONSHI_E_ALREADY_ENROLLED comes as an OnshiException.</summary>
        public async Task<string> EnrollTerminalAsync(string setupJson, CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] setup = Utf8.ToNative(setupJson);
            Task<ResultHandle> job;
            try
            {
                job = StartJob((out uint id) => NativeMethods.onshi_terminal_enroll(context, setup, out id), cancellationToken);
            }
            finally
            {
                Array.Clear(setup, 0, setup.Length); // the setup credentials
            }
            using (var result = new EligibilityResult(await job.ConfigureAwait(false)))
                return result.Json;
        }

        /// <summary>Answers a SecretNeeded event: the PIN (4 digits) or 照合番号B. With one try left,
        /// onshi spends it only when allowLastAttempt is true (the patient was told and agreed).</summary>
        public void ProvideSecret(uint job, string secret, bool allowLastAttempt)
        {
            byte[] bytes = Utf8.ToNative(secret);
            try
            {
                int status = NativeMethods.onshi_provide_pin(context, job, bytes, allowLastAttempt ? 1u : 0u);
                if (status != OnshiStatus.Ok) throw new OnshiException(status, LastError());
            }
            finally
            {
                if (bytes != null) Array.Clear(bytes, 0, bytes.Length);
            }
        }

        /// <summary>The readers as JSON: [{"name", "card_present", "medium"}, ...].</summary>
        public string ListReaders()
        {
            IntPtr json;
            int status = NativeMethods.onshi_list_readers(context, out json);
            if (status != OnshiStatus.Ok) throw new OnshiException(status, LastError());
            return Utf8.TakeOwned(json);
        }

        /// <summary>Imports a face-recognition terminal's 資格確認結果 XML as a result.</summary>
        public EligibilityResult ResultFromXml(byte[] xml)
        {
            ResultHandle result;
            int status = NativeMethods.onshi_result_from_xml(context, xml, new UIntPtr((uint)xml.Length), out result);
            if (status != OnshiStatus.Ok) throw new OnshiException(status, LastError());
            return new EligibilityResult(result);
        }

        /// <summary>Closes the context: unfinished jobs are cancelled (their tasks end cancelled) and
        /// onshi's threads are joined. Not from a handler running on onshi's thread.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            context.Dispose();
            GC.KeepAlive(callback);
            // onshi_close delivered every final event; a task still pending now never gets one.
            List<TaskCompletionSource<ResultHandle>> left;
            lock (gate)
            {
                left = new List<TaskCompletionSource<ResultHandle>>(pending.Values);
                pending.Clear();
                endedEarly.Clear();
            }
            foreach (var completion in left) completion.TrySetCanceled();
        }

        delegate int JobStarter(out uint job);

        Task<ResultHandle> StartJob(JobStarter start, CancellationToken cancellationToken)
        {
            if (disposed != 0) throw new ObjectDisposedException("OnshiClient");
            cancellationToken.ThrowIfCancellationRequested();
            var completion = new TaskCompletionSource<ResultHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
            uint job;
            int status = start(out job);
            if (status != OnshiStatus.Ok) throw new OnshiException(status, LastError());
            Action<TaskCompletionSource<ResultHandle>> ended;
            lock (gate)
            {
                if (endedEarly.TryGetValue(job, out ended)) endedEarly.Remove(job);
                else pending[job] = completion;
            }
            if (ended != null)
            {
                ended(completion);
                return completion.Task;
            }
            if (cancellationToken.CanBeCanceled)
            {
                CancellationTokenRegistration registration = cancellationToken.Register(() =>
                {
                    try { NativeMethods.onshi_job_cancel(context, job); }
                    catch (ObjectDisposedException) { } // closed meanwhile: the job was cancelled by the close
                });
                completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
            }
            return completion.Task;
        }

        string LastError() { return Utf8.FromNative(NativeMethods.onshi_last_error(context)); }

        // On onshi's event thread. No exception may cross back into onshi.
        void OnNativeEvent(IntPtr userData, IntPtr eventPointer)
        {
            try
            {
                var ev = (NativeMethods.Event)Marshal.PtrToStructure(eventPointer, typeof(NativeMethods.Event));
                var args = new OnshiEventArgs
                {
                    Type = (OnshiEventType)ev.type, Job = ev.job, Status = ev.status, Value = ev.value,
                    Detail = ev.detail, Text = Utf8.FromNative(ev.text) ?? ""  // valid only during the callback
                };
                switch (args.Type)
                {
                    case OnshiEventType.Done:
                    case OnshiEventType.Failed:
                    case OnshiEventType.Cancelled:
                        if (ev.job != 0) Finish(args);
                        break;
                    case OnshiEventType.Progress: Raise(ProgressChanged, args); break;
                    case OnshiEventType.SecretNeeded: Raise(SecretNeeded, args); break;
                    default: Raise(ReaderChanged, args); break;
                }
            }
            catch (Exception)
            {
                // A host handler's exception (without a SynchronizationContext) must not unwind
                // through onshi's C frames.
            }
        }

        // A final event: the job's result is taken and the job released here (allowed in the
        // callback), then its task completes. During Dispose (onshi_close delivers the final events
        // of unfinished jobs) the handle is closed already: those tasks end cancelled.
        void Finish(OnshiEventArgs ev)
        {
            Action<TaskCompletionSource<ResultHandle>> complete;
            try
            {
                if (ev.Type == OnshiEventType.Done)
                {
                    ResultHandle result;
                    int status = NativeMethods.onshi_job_result(context, ev.Job, out result);
                    string detail = status == OnshiStatus.Ok ? null : LastError();
                    if (status == OnshiStatus.Ok) complete = c => c.TrySetResult(result);
                    else complete = c => c.TrySetException(new OnshiException(status, detail));
                }
                else if (ev.Type == OnshiEventType.Failed)
                {
                    var error = new OnshiException(ev.Status, ev.Text, ev.Value);
                    complete = c => c.TrySetException(error);
                }
                else
                {
                    complete = c => c.TrySetCanceled();
                }
                NativeMethods.onshi_job_release(context, ev.Job);
            }
            catch (ObjectDisposedException)
            {
                complete = c => c.TrySetCanceled();
            }
            TaskCompletionSource<ResultHandle> completion;
            lock (gate)
            {
                if (pending.TryGetValue(ev.Job, out completion)) pending.Remove(ev.Job);
                else endedEarly[ev.Job] = complete;
            }
            if (completion != null) complete(completion);
        }

        void Raise(EventHandler<OnshiEventArgs> handler, OnshiEventArgs args)
        {
            if (handler == null) return;
            if (syncContext != null) syncContext.Post(_ => handler(this, args), null);
            else handler(this, args);
        }

        static string JsonEscape(string s)
        {
            var b = new System.Text.StringBuilder();
            foreach (char c in s)
            {
                if (c == '"' || c == '\\') b.Append('\\').Append(c);
                else if (c < 0x20) b.Append("\\u").Append(((int)c).ToString("x4"));
                else b.Append(c);
            }
            return b.ToString();
        }
    }
}
