// onshi-qt-host — the reference reception screen (受付画面) over the onshi host SDK, in Qt 6.
//
//   onshi-qt-host [--library PATH] [--config DIR/plugin.json] [--setup DIR/setup.json]
//                 [--reader NAME] [--face-export DIR] [--test-driver SHOT_DIR]
//   --face-export DIR also writes every check into the receipt program's face folder.
//
// What a real host copies from here (docs/integration-guide.md shows every state):
//  * onshi calls its handlers on ITS threads. They never touch a widget: they copy what they got
//    and queue a lambda to the GUI thread (QMetaObject::invokeMethod with Qt::QueuedConnection).
//    Nothing blocks the GUI thread while a check runs: the clock and the seconds keep moving.
//  * Progress comes from the job's events, one step a line, with the seconds of the current step;
//    中止 (Cancel) calls onshi_job_cancel at any time, also while the gateway does not answer.
//  * The PIN is asked on ONSHI_EVENT_PIN_NEEDED with a non-blocking dialog that shows the tries
//    left; before the LAST try the patient must agree explicitly (ONSHI_PIN_ALLOW_LAST_ATTEMPT),
//    and a wrong PIN is never re-sent. The 照合番号B dialog says how the number is made up.
//  * A failure shows the library's sentence and next action (result JSON "message", "action";
//    fallback_guidance.cpp with an older library), wrapped, never cut off; the technical detail
//    goes to a small line for IT. A locked or refused last PIN offers 目視確認 as the next step.
//  * After 目視確認 staff compare the chip's photo with the patient before the result counts.
//  * Dates in 和暦 (era_date.cpp), the 確認番号 and time of the confirmation, and the result's
//    "medium" and "notices" when the library reports them.
//  * Standard buttons (OK / キャンセル / はい / いいえ) in Japanese: Qt's own translation
//    (qtbase_ja.qm; Debian: qt6-translations-l10n, Windows: translations/ beside Qt's DLLs).
//
// --test-driver: the screen is driven from stdin (test_driver.h), for tests/samples/run_qt_host.sh.
#include "reception_window.h"
#include "test_driver.h"

#include <onshi/host_sdk.hpp>

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QTimer>
#include <QTranslator>

#include <iostream>
#include <memory>

namespace {

#ifdef ONSHI_SAMPLE_DEFAULT_LIBRARY
const char *const kDefaultLibrary = ONSHI_SAMPLE_DEFAULT_LIBRARY;
#else
const char *const kDefaultLibrary = sdk::default_library_name;
#endif

// Qt's Japanese texts for its standard buttons and dialogs. Without them, OK / Cancel / Yes / No
// stay in English: say so once, the screen still works.
void install_qt_japanese(QTranslator &translator) {
    const QLocale japanese(QLocale::Japanese, QLocale::Japan);
    QLocale::setDefault(japanese);
    if (translator.load(japanese, QStringLiteral("qtbase"), QStringLiteral("_"),
                        QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&translator);
    else
        std::cerr << "onshi-qt-host: Qt's Japanese translation (qtbase_ja.qm) not found in "
                  << QLibraryInfo::path(QLibraryInfo::TranslationsPath).toStdString()
                  << " (Debian: qt6-translations-l10n): standard buttons stay in English\n";
}

} // namespace

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QTranslator qt_japanese;
    install_qt_japanese(qt_japanese);

    QString library = QString::fromUtf8(kDefaultLibrary), shot_dir;
    reception::WindowOptions options;
    bool test_mode = false;
    const QStringList args = QApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        const auto value = [&]() { return i + 1 < args.size() ? args[++i] : QString(); };
        if (a == QLatin1String("--library")) library = value();
        else if (a == QLatin1String("--config")) options.config = value();
        else if (a == QLatin1String("--setup")) options.setup = value();
        else if (a == QLatin1String("--reader")) options.reader = value();
        else if (a == QLatin1String("--face-export")) options.face_export = value();
        else if (a == QLatin1String("--test-driver")) { test_mode = true; shot_dir = value(); }
        else {
            std::cerr << "usage: onshi-qt-host [--library PATH] [--config FILE] [--setup FILE] [--reader NAME]\n"
                         "                     [--face-export DIR] [--test-driver SHOT_DIR]\n";
            return 2;
        }
    }
    try {
        reception::ReceptionWindow window(options, onshi::sdk::Library(library.toStdString()));
        std::unique_ptr<reception::TestDriver> driver;
        if (test_mode) {
            driver = std::make_unique<reception::TestDriver>(window, shot_dir);
            // A watchdog: a hung screen fails the test instead of hanging it.
            QTimer::singleShot(240000, &app, [] {
                std::cerr << "onshi-qt-host: test driver timed out\n";
                QApplication::exit(1);
            });
        }
        window.resize(880, 500);
        window.show();
        return QApplication::exec();
    } catch (const onshi::sdk::Error &e) { // the library is missing or too old
        if (!test_mode)
            QMessageBox::critical(nullptr, QStringLiteral("onshi"),
                                  QStringLiteral("onshi を読み込めません。\n") + QString::fromStdString(e.message()));
        std::cerr << e.name() << ": " << e.message() << "\n";
        return 2;
    }
}
