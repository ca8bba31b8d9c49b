Attribute VB_Name = "Onshi"
' onshi - the binding for VB6 and VBA hosts (Access, Excel, VB6 receipt programs). Import this module
' (VB6: Project > Add Module; VBA: File > Import File) and read host-sdk/vb/README.md first.
'
' Every function, constant and the onshi_event record of onshi.h (ABI 1.1; docs/abi.md is the
' reference). Two sets of Declare statements: VBA7 (Office 2010 and later, 32- and 64-bit:
' PtrSafe, LongPtr) and VB6 / older VBA (32-bit only: pointers are Long).
'
' * Strings: onshi speaks UTF-8, VB strings are UTF-16. Never pass a String ByVal to onshi (VB
'   would convert it to the ANSI code page): pass OnshiUtf8(s), a NUL-terminated UTF-8 Byte array,
'   as VarPtr(bytes(0)), or 0 for NULL; read what onshi returns with OnshiString(pointer).
' * onshi_job_id and the uint32_t parameters are Long here (VB has no unsigned type; job ids and
'   timeouts stay below 2^31, UINT32_MAX "forever" is -1).
' * Events: VB code must not run on onshi's threads, so do not hand AddressOf to
'   onshi_set_event_callback. Poll instead: a Timer calls onshi_poll_event(ctx, 0, ev) until it
'   returns ONSHI_E_TIMEOUT (set ev.struct_size = LenB(ev) first).
' * Memory onshi returns through a ByRef ... As LongPtr goes back with onshi_free.
'
' abi/onshi_abi.list is the one list of the ABI; the test abi.list checks this module against it.
Option Explicit

' ONSHI_ABI_VERSION is (ONSHI_ABI_VERSION_MAJOR * 65536) + ONSHI_ABI_VERSION_MINOR: VB names are
' case-insensitive, so the function onshi_abi_version takes the name.
Public Const ONSHI_ABI_VERSION_MAJOR As Long = 1
Public Const ONSHI_ABI_VERSION_MINOR As Long = 1
Public Const ONSHI_OK As Long = 0
Public Const ONSHI_E_INVALID_ARGUMENT As Long = 1
Public Const ONSHI_E_INVALID_HANDLE As Long = 2
Public Const ONSHI_E_NO_MEMORY As Long = 3
Public Const ONSHI_E_NOT_SUPPORTED As Long = 4
Public Const ONSHI_E_INTERNAL As Long = 5
Public Const ONSHI_E_CLOSING As Long = 6
Public Const ONSHI_E_TIMEOUT As Long = 7
Public Const ONSHI_E_CANCELLED As Long = 8
Public Const ONSHI_E_CONFIG As Long = 9
Public Const ONSHI_E_NOT_FOUND As Long = 10
Public Const ONSHI_E_BUSY As Long = 11
Public Const ONSHI_E_WRONG_STATE As Long = 12
Public Const ONSHI_E_PCSC_UNAVAILABLE As Long = 100
Public Const ONSHI_E_NO_READER As Long = 101
Public Const ONSHI_E_NO_CARD As Long = 102
Public Const ONSHI_E_CARD_REMOVED As Long = 103
Public Const ONSHI_E_NOT_MYNUMBER_CARD As Long = 104
Public Const ONSHI_E_JUKI_CARD As Long = 105
Public Const ONSHI_E_PIN_INCORRECT As Long = 106
Public Const ONSHI_E_PIN_BLOCKED As Long = 107
Public Const ONSHI_E_LAST_TRY_REFUSED As Long = 108
Public Const ONSHI_E_PIN_FORMAT As Long = 109
Public Const ONSHI_E_COLLATION_B_INCORRECT As Long = 110
Public Const ONSHI_E_COLLATION_B_BLOCKED As Long = 111
Public Const ONSHI_E_COLLATION_B_FORMAT As Long = 112
Public Const ONSHI_E_CARD_ERROR As Long = 113
Public Const ONSHI_E_CARD_IN_USE As Long = 114
Public Const ONSHI_E_VISUAL_NOT_AVAILABLE As Long = 115
Public Const ONSHI_E_MEDIUM_NOT_SUPPORTED As Long = 116
Public Const ONSHI_E_NETWORK As Long = 200
Public Const ONSHI_E_GATEWAY_TIMEOUT As Long = 201
Public Const ONSHI_E_TLS As Long = 202
Public Const ONSHI_E_GATEWAY_ERROR As Long = 203
Public Const ONSHI_E_GATEWAY_PROTOCOL As Long = 204
Public Const ONSHI_E_NOT_ENROLLED As Long = 205
Public Const ONSHI_E_CERT_REVOKED As Long = 206
Public Const ONSHI_E_CERT_EXPIRED As Long = 207
Public Const ONSHI_E_REJECTED As Long = 208
Public Const ONSHI_E_TERMINAL_LIMIT As Long = 209
Public Const ONSHI_E_SETUP_CREDENTIALS As Long = 210
Public Const ONSHI_E_ALREADY_ENROLLED As Long = 211
Public Const ONSHI_E_ELIGIBILITY_ERROR As Long = 212
Public Const ONSHI_E_TERMINAL_FOLDERS As Long = 213
Public Const ONSHI_E_TERMINAL_NO_ANSWER As Long = 214
Public Const ONSHI_E_TERMINAL_ANSWER As Long = 215
Public Const ONSHI_E_VALIDATION As Long = 300
Public Const ONSHI_E_CREDENTIAL_STORE As Long = 301
Public Const ONSHI_E_PARSE As Long = 302
Public Const ONSHI_E_FACE_EXPORT As Long = 303
Public Const ONSHI_JOB_QUEUED As Long = 1
Public Const ONSHI_JOB_RUNNING As Long = 2
Public Const ONSHI_JOB_WAITING_FOR_PIN As Long = 3
Public Const ONSHI_JOB_DONE As Long = 4
Public Const ONSHI_JOB_FAILED As Long = 5
Public Const ONSHI_JOB_CANCELLED As Long = 6
Public Const ONSHI_JOB_WAITING_FOR_SECRET As Long = 3
Public Const ONSHI_EVENT_NONE As Long = 0
Public Const ONSHI_EVENT_PROGRESS As Long = 1
Public Const ONSHI_EVENT_PIN_NEEDED As Long = 2
Public Const ONSHI_EVENT_DONE As Long = 3
Public Const ONSHI_EVENT_FAILED As Long = 4
Public Const ONSHI_EVENT_CANCELLED As Long = 5
Public Const ONSHI_EVENT_READER_ADDED As Long = 16
Public Const ONSHI_EVENT_READER_REMOVED As Long = 17
Public Const ONSHI_EVENT_CARD_INSERTED As Long = 18
Public Const ONSHI_EVENT_CARD_REMOVED As Long = 19
Public Const ONSHI_EVENT_RESULT_ARRIVED As Long = 20
Public Const ONSHI_EVENT_FACE_EXPORTED As Long = 21
Public Const ONSHI_EVENT_SECRET_NEEDED As Long = 2
Public Const ONSHI_PROGRESS_WAITING_FOR_CARD As Long = 1
Public Const ONSHI_PROGRESS_READING_CARD As Long = 2
Public Const ONSHI_PROGRESS_VERIFYING_PIN As Long = 3
Public Const ONSHI_PROGRESS_SIGNING As Long = 4
Public Const ONSHI_PROGRESS_READING_PHOTO As Long = 5
Public Const ONSHI_PROGRESS_CONTACTING_GATEWAY As Long = 6
Public Const ONSHI_MEDIUM_UNKNOWN As Long = 0
Public Const ONSHI_MEDIUM_CARD As Long = 1
Public Const ONSHI_MEDIUM_ANDROID As Long = 2
Public Const ONSHI_MEDIUM_IPHONE As Long = 3
Public Const ONSHI_MEDIUM_JUKI As Long = 4
Public Const ONSHI_MEDIUM_OTHER As Long = 5
Public Const ONSHI_SECRET_PIN As Long = 1
Public Const ONSHI_SECRET_COLLATION_B As Long = 2
Public Const ONSHI_PIN_ALLOW_LAST_ATTEMPT As Long = 1
Public Const ONSHI_SECRET_ALLOW_LAST_ATTEMPT As Long = 1

Private Const CP_UTF8 As Long = 65001

#If VBA7 Then

' onshi_event: fields are only ever appended; struct_size says how many were filled.
Public Type OnshiEvent
    struct_size As Long
    type_ As Long           ' type: ONSHI_EVENT_*
    job As Long             ' 0 for reader and card events
    status As Long
    value As Long
    detail As Long
    text As LongPtr         ' UTF-8: OnshiString(ev.text), valid until the next onshi_poll_event
End Type

Public Declare PtrSafe Function onshi_abi_version Lib "onshi.dll" () As Long
Public Declare PtrSafe Function onshi_version Lib "onshi.dll" () As LongPtr
Public Declare PtrSafe Function onshi_status_name Lib "onshi.dll" (ByVal status As Long) As LongPtr
Public Declare PtrSafe Function onshi_status_message Lib "onshi.dll" ( _
        ByVal status As Long, ByVal locale As LongPtr) As LongPtr
Public Declare PtrSafe Sub onshi_free Lib "onshi.dll" (ByVal memory As LongPtr)
Public Declare PtrSafe Function onshi_open Lib "onshi.dll" ( _
        ByVal config_json As LongPtr, ByRef out_context As LongPtr) As Long
Public Declare PtrSafe Function onshi_close Lib "onshi.dll" (ByVal context As LongPtr) As Long
Public Declare PtrSafe Function onshi_last_error Lib "onshi.dll" ( _
        ByVal context As LongPtr) As LongPtr
Public Declare PtrSafe Function onshi_set_event_callback Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal callback As LongPtr, ByVal user_data As LongPtr) As Long
Public Declare PtrSafe Function onshi_poll_event Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal timeout_ms As Long, ByRef out_event As OnshiEvent) As Long
Public Declare PtrSafe Function onshi_set_event_window Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal hwnd As LongPtr, ByVal message As Long) As Long
Public Declare PtrSafe Function onshi_list_readers Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByRef out_json As LongPtr) As Long
Public Declare PtrSafe Function onshi_reader_diagnose Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal request_json As LongPtr, ByRef out_job As Long) As Long
Public Declare PtrSafe Function onshi_check_eligibility Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal request_json As LongPtr, ByVal secret As LongPtr, _
        ByRef out_job As Long) As Long
Public Declare PtrSafe Function onshi_provide_pin Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal job As Long, ByVal secret As LongPtr, ByVal flags As Long) As Long
Public Declare PtrSafe Function onshi_check_by_insurance Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal request_json As LongPtr, ByRef out_job As Long) As Long
Public Declare PtrSafe Function onshi_job_cancel Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal job As Long) As Long
Public Declare PtrSafe Function onshi_job_wait Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal job As Long, ByVal timeout_ms As Long, _
        ByRef out_final_status As Long) As Long
Public Declare PtrSafe Function onshi_job_state Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal job As Long, ByRef out_state As Long, _
        ByRef out_final_status As Long) As Long
Public Declare PtrSafe Function onshi_job_result Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal job As Long, ByRef out_result As LongPtr) As Long
Public Declare PtrSafe Function onshi_job_release Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal job As Long) As Long
Public Declare PtrSafe Function onshi_result_json Lib "onshi.dll" ( _
        ByVal result As LongPtr, ByRef out_json As LongPtr) As Long
Public Declare PtrSafe Function onshi_result_field Lib "onshi.dll" ( _
        ByVal result As LongPtr, ByVal element_name As LongPtr, ByVal index As Long, _
        ByRef out_value As LongPtr) As Long
Public Declare PtrSafe Function onshi_result_photo_png Lib "onshi.dll" ( _
        ByVal result As LongPtr, ByRef out_png As LongPtr, ByRef out_size As LongPtr) As Long
Public Declare PtrSafe Function onshi_result_from_xml Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal xml As LongPtr, ByVal size As LongPtr, _
        ByRef out_result As LongPtr) As Long
Public Declare PtrSafe Function onshi_result_from_app_text Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal text As LongPtr, ByVal size As LongPtr, _
        ByRef out_result As LongPtr) As Long
Public Declare PtrSafe Sub onshi_result_free Lib "onshi.dll" (ByVal result As LongPtr)
Public Declare PtrSafe Function onshi_application_validate Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal form_json As LongPtr, ByRef out_report_json As LongPtr) As Long
Public Declare PtrSafe Function onshi_application_render_pdf Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal form_json As LongPtr, ByVal options_json As LongPtr, _
        ByRef out_pdf As LongPtr, ByRef out_size As LongPtr) As Long
Public Declare PtrSafe Function onshi_validate_numbers Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal numbers_json As LongPtr, ByRef out_report_json As LongPtr) As Long
Public Declare PtrSafe Function onshi_terminal_enroll Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal setup_json As LongPtr, ByRef out_job As Long) As Long
Public Declare PtrSafe Function onshi_terminal_status Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByRef out_job As Long) As Long
Public Declare PtrSafe Function onshi_terminal_set_end_date Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByVal end_date As LongPtr, ByRef out_job As Long) As Long
Public Declare PtrSafe Function onshi_terminal_unenroll Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByRef out_job As Long) As Long
Public Declare PtrSafe Function onshi_terminal_renew Lib "onshi.dll" ( _
        ByVal context As LongPtr, ByRef out_job As Long) As Long

Private Declare PtrSafe Function LoadLibraryW Lib "kernel32" (ByVal lpLibFileName As LongPtr) As LongPtr
Private Declare PtrSafe Function lstrlenA Lib "kernel32" (ByVal lpString As LongPtr) As Long
Private Declare PtrSafe Function MultiByteToWideChar Lib "kernel32" (ByVal CodePage As Long, _
        ByVal dwFlags As Long, ByVal lpMultiByteStr As LongPtr, ByVal cbMultiByte As Long, _
        ByVal lpWideCharStr As LongPtr, ByVal cchWideChar As Long) As Long
Private Declare PtrSafe Function WideCharToMultiByte Lib "kernel32" (ByVal CodePage As Long, _
        ByVal dwFlags As Long, ByVal lpWideCharStr As LongPtr, ByVal cchWideChar As Long, _
        ByVal lpMultiByteStr As LongPtr, ByVal cbMultiByte As Long, ByVal lpDefaultChar As LongPtr, _
        ByVal lpUsedDefaultChar As LongPtr) As Long

#Else

Public Type OnshiEvent
    struct_size As Long
    type_ As Long
    job As Long
    status As Long
    value As Long
    detail As Long
    text As Long
End Type

Public Declare Function onshi_abi_version Lib "onshi.dll" () As Long
Public Declare Function onshi_version Lib "onshi.dll" () As Long
Public Declare Function onshi_status_name Lib "onshi.dll" (ByVal status As Long) As Long
Public Declare Function onshi_status_message Lib "onshi.dll" ( _
        ByVal status As Long, ByVal locale As Long) As Long
Public Declare Sub onshi_free Lib "onshi.dll" (ByVal memory As Long)
Public Declare Function onshi_open Lib "onshi.dll" ( _
        ByVal config_json As Long, ByRef out_context As Long) As Long
Public Declare Function onshi_close Lib "onshi.dll" (ByVal context As Long) As Long
Public Declare Function onshi_last_error Lib "onshi.dll" (ByVal context As Long) As Long
Public Declare Function onshi_set_event_callback Lib "onshi.dll" ( _
        ByVal context As Long, ByVal callback As Long, ByVal user_data As Long) As Long
Public Declare Function onshi_poll_event Lib "onshi.dll" ( _
        ByVal context As Long, ByVal timeout_ms As Long, ByRef out_event As OnshiEvent) As Long
Public Declare Function onshi_set_event_window Lib "onshi.dll" ( _
        ByVal context As Long, ByVal hwnd As Long, ByVal message As Long) As Long
Public Declare Function onshi_list_readers Lib "onshi.dll" ( _
        ByVal context As Long, ByRef out_json As Long) As Long
Public Declare Function onshi_reader_diagnose Lib "onshi.dll" ( _
        ByVal context As Long, ByVal request_json As Long, ByRef out_job As Long) As Long
Public Declare Function onshi_check_eligibility Lib "onshi.dll" ( _
        ByVal context As Long, ByVal request_json As Long, ByVal secret As Long, _
        ByRef out_job As Long) As Long
Public Declare Function onshi_provide_pin Lib "onshi.dll" ( _
        ByVal context As Long, ByVal job As Long, ByVal secret As Long, ByVal flags As Long) As Long
Public Declare Function onshi_check_by_insurance Lib "onshi.dll" ( _
        ByVal context As Long, ByVal request_json As Long, ByRef out_job As Long) As Long
Public Declare Function onshi_job_cancel Lib "onshi.dll" ( _
        ByVal context As Long, ByVal job As Long) As Long
Public Declare Function onshi_job_wait Lib "onshi.dll" ( _
        ByVal context As Long, ByVal job As Long, ByVal timeout_ms As Long, _
        ByRef out_final_status As Long) As Long
Public Declare Function onshi_job_state Lib "onshi.dll" ( _
        ByVal context As Long, ByVal job As Long, ByRef out_state As Long, _
        ByRef out_final_status As Long) As Long
Public Declare Function onshi_job_result Lib "onshi.dll" ( _
        ByVal context As Long, ByVal job As Long, ByRef out_result As Long) As Long
Public Declare Function onshi_job_release Lib "onshi.dll" ( _
        ByVal context As Long, ByVal job As Long) As Long
Public Declare Function onshi_result_json Lib "onshi.dll" ( _
        ByVal result As Long, ByRef out_json As Long) As Long
Public Declare Function onshi_result_field Lib "onshi.dll" ( _
        ByVal result As Long, ByVal element_name As Long, ByVal index As Long, _
        ByRef out_value As Long) As Long
Public Declare Function onshi_result_photo_png Lib "onshi.dll" ( _
        ByVal result As Long, ByRef out_png As Long, ByRef out_size As Long) As Long
Public Declare Function onshi_result_from_xml Lib "onshi.dll" ( _
        ByVal context As Long, ByVal xml As Long, ByVal size As Long, ByRef out_result As Long) As Long
Public Declare Function onshi_result_from_app_text Lib "onshi.dll" ( _
        ByVal context As Long, ByVal text As Long, ByVal size As Long, ByRef out_result As Long) As Long
Public Declare Sub onshi_result_free Lib "onshi.dll" (ByVal result As Long)
Public Declare Function onshi_application_validate Lib "onshi.dll" ( _
        ByVal context As Long, ByVal form_json As Long, ByRef out_report_json As Long) As Long
Public Declare Function onshi_application_render_pdf Lib "onshi.dll" ( _
        ByVal context As Long, ByVal form_json As Long, ByVal options_json As Long, _
        ByRef out_pdf As Long, ByRef out_size As Long) As Long
Public Declare Function onshi_validate_numbers Lib "onshi.dll" ( _
        ByVal context As Long, ByVal numbers_json As Long, ByRef out_report_json As Long) As Long
Public Declare Function onshi_terminal_enroll Lib "onshi.dll" ( _
        ByVal context As Long, ByVal setup_json As Long, ByRef out_job As Long) As Long
Public Declare Function onshi_terminal_status Lib "onshi.dll" ( _
        ByVal context As Long, ByRef out_job As Long) As Long
Public Declare Function onshi_terminal_set_end_date Lib "onshi.dll" ( _
        ByVal context As Long, ByVal end_date As Long, ByRef out_job As Long) As Long
Public Declare Function onshi_terminal_unenroll Lib "onshi.dll" ( _
        ByVal context As Long, ByRef out_job As Long) As Long
Public Declare Function onshi_terminal_renew Lib "onshi.dll" ( _
        ByVal context As Long, ByRef out_job As Long) As Long

Private Declare Function LoadLibraryW Lib "kernel32" (ByVal lpLibFileName As Long) As Long
Private Declare Function lstrlenA Lib "kernel32" (ByVal lpString As Long) As Long
Private Declare Function MultiByteToWideChar Lib "kernel32" (ByVal CodePage As Long, _
        ByVal dwFlags As Long, ByVal lpMultiByteStr As Long, ByVal cbMultiByte As Long, _
        ByVal lpWideCharStr As Long, ByVal cchWideChar As Long) As Long
Private Declare Function WideCharToMultiByte Lib "kernel32" (ByVal CodePage As Long, _
        ByVal dwFlags As Long, ByVal lpWideCharStr As Long, ByVal cchWideChar As Long, _
        ByVal lpMultiByteStr As Long, ByVal cbMultiByte As Long, ByVal lpDefaultChar As Long, _
        ByVal lpUsedDefaultChar As Long) As Long

#End If

' Loads onshi.dll from a full path (e.g. App.Path & "\onshi.dll", or ThisWorkbook.Path for VBA,
' whose own folder is Office's), so that the Declare statements above find it, and checks its ABI
' major. Call it once before anything else; False means: do not call onshi at all.
Public Function OnshiLoad(ByVal dllPath As String) As Boolean
    If LoadLibraryW(StrPtr(dllPath)) = 0 Then Exit Function
    OnshiLoad = (onshi_abi_version() \ 65536) = ONSHI_ABI_VERSION_MAJOR
End Function

' A String as NUL-terminated UTF-8 bytes for onshi: pass VarPtr(bytes(0)).
Public Function OnshiUtf8(ByVal s As String) As Byte()
    Dim n As Long
    Dim bytes() As Byte
    n = 0
    If Len(s) > 0 Then n = WideCharToMultiByte(CP_UTF8, 0, StrPtr(s), Len(s), 0, 0, 0, 0)
    ReDim bytes(0 To n)     ' bytes(n) stays 0: the terminating NUL
    If n > 0 Then WideCharToMultiByte CP_UTF8, 0, StrPtr(s), Len(s), VarPtr(bytes(0)), n, 0, 0
    OnshiUtf8 = bytes
End Function

' A UTF-8 C string from onshi (0 gives ""), copied into a VB String.
#If VBA7 Then
Public Function OnshiString(ByVal p As LongPtr) As String
#Else
Public Function OnshiString(ByVal p As Long) As String
#End If
    Dim n As Long
    Dim s As String
    If p = 0 Then Exit Function
    n = lstrlenA(p)
    If n = 0 Then Exit Function
    s = String$(MultiByteToWideChar(CP_UTF8, 0, p, n, 0, 0), vbNullChar)
    MultiByteToWideChar CP_UTF8, 0, p, n, StrPtr(s), Len(s)
    OnshiString = s
End Function
