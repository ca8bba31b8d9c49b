// Test mode only: tests/samples/run_qt_host.sh drives the reception screen under Xvfb through this
// driver. A real host does not need this file.
//
// The driver reads one command a line from stdin and does what a clerk would do, with real mouse
// clicks and key presses (QTest). It prints the window's state lines ("state: dialog pin 3") and its
// own answers ("driver: ...") on stdout, so that the script knows when to act at the sandbox.
//
//   click NAME      press a button by object name: pin, visual, cancel, next_visual,
//                   same_person, other_person (fails when it is hidden or disabled)
//   select READER   click that reader in the list
//   answer TEXT     type TEXT into the open PIN / 照合番号B dialog and press its OK button
//   reply yes|no    press the Yes / No button of the open message box
//   labels          print every text shown now ("label: ..."), dialogs included
//   shot NAME       save the screen area of the window, open dialogs included, as DIR/NAME.png
//   clock-mark      start counting the clock's repaints
//   clock-report    print "driver: clock repaints N" since the mark
//   quit            exit: 0, or 1 when a command failed
#ifndef ONSHI_QT_HOST_TEST_DRIVER_H
#define ONSHI_QT_HOST_TEST_DRIVER_H

#include <QObject>
#include <QSocketNotifier>
#include <QString>
#include <QStringList>

class QWidget;

namespace reception {

class ReceptionWindow;

class TestDriver : public QObject {
public:
    TestDriver(ReceptionWindow &window, QString shot_dir);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override; // counts the clock's repaints

private:
    void read_stdin();
    void run_next();
    void run(const QString &command, const QString &argument);
    void fail(const QString &why);
    void shot(const QString &name);
    QWidget *visible_dialog(const char *class_name) const;

    ReceptionWindow &window_;
    QString shot_dir_;
    QSocketNotifier notifier_;
    QByteArray pending_;  // stdin bytes after the last full line
    QStringList queue_;   // commands not yet run
    bool running_ = false; // a command is in progress (shot waits for the paint)
    bool failed_ = false;
    int clock_paints_ = 0;
};

} // namespace reception

#endif
