;;; test.el --- goalframe with eglot, headless  -*- lexical-binding: t -*-

;; Run: GOALFRAME_BIN=/abs/goalframe emacs --batch -l test.el
;; (without -Q, so that Debian's elpa-eglot, elpa-yasnippet and
;; elpa-markdown-mode load).  Opens a markdown file, connects eglot to
;; `goalframe lsp' with the configuration README.md documents, completes
;; `@ae/p2' to the SMART frame, fills its first tabstops, and checks the
;; placeholders reach flymake.  Prints PASS/FAIL lines and exits non-zero
;; on any failure.

(require 'eglot)
(require 'yasnippet)
(require 'markdown-mode)
(require 'subr-x)

(defvar goalframe-test-bin (or (getenv "GOALFRAME_BIN") (error "GOALFRAME_BIN is not set")))
(defvar goalframe-test-failed 0)

(defun goalframe-test-check (name ok &optional detail)
  "Record check NAME as passed when OK, else failed with DETAIL."
  (unless ok (setq goalframe-test-failed (1+ goalframe-test-failed)))
  (princ (format "%s emacs: %s%s\n" (if ok "PASS" "FAIL") name
                 (if (or ok (not detail)) "" (format "\n  %S" detail)))))

(defun goalframe-test-wait (pred &optional seconds)
  "Process server output until PRED returns non-nil, for at most SECONDS."
  (let ((deadline (+ (float-time) (or seconds 10))) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun goalframe-test-placeholders ()
  "Buffer regions of the ⟨word⟩ placeholders, as (BEG . END) pairs."
  (save-excursion
    (goto-char (point-min))
    (let (found)
      (while (re-search-forward "⟨[a-z]+⟩" nil t)
        (push (cons (match-beginning 0) (match-end 0)) found))
      (nreverse found))))

(defun goalframe-test-flymake-placeholders ()
  "Regions flagged by flymake diagnostics that mention a placeholder code."
  (sort (mapcar (lambda (d) (cons (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))
                (seq-filter (lambda (d) (string-match-p "unfilled-placeholder\\|⟨" (flymake-diagnostic-text d)))
                            (flymake-diagnostics)))
        (lambda (a b) (< (car a) (car b)))))

;;; The configuration README.md documents.
(add-to-list 'eglot-server-programs
             `((markdown-mode text-mode) . (,goalframe-test-bin "lsp")))
(add-hook 'markdown-mode-hook #'yas-minor-mode)
(add-hook 'text-mode-hook #'yas-minor-mode)

(let* ((dir (make-temp-file "goalframe-emacs" t))
       (file (expand-file-name "goals.md" dir)))
  (find-file file)
  (goalframe-test-check "a .md file opens in markdown-mode with yasnippet on"
                        (and (derived-mode-p 'markdown-mode) yas-minor-mode) major-mode)
  (insert "# Goals 2026\n\n@ae/p2")
  ;; What `eglot-ensure' does after the first command, done now.
  (apply #'eglot--connect (eglot--guess-contact))
  (goalframe-test-check "eglot connects to goalframe lsp"
                        (goalframe-test-wait (lambda () (and (eglot-current-server) eglot--managed-mode))))
  (goalframe-test-check "eglot declares snippet support (yasnippet is on)"
                        (eglot--snippet-expansion-fn))

  (goto-char (point-max))
  (let* ((capf (eglot-completion-at-point))
         (beg (nth 0 capf)) (end (nth 1 capf)) (table (nth 2 capf))
         (exit (plist-get (nthcdr 3 capf) :exit-function))
         (labels (funcall table "" nil t))
         (smart (car (member "SMART goals" labels))))
    (goalframe-test-check "completion at @ae/p2 offers the frames"
                          (seq-every-p (lambda (l) (member l labels))
                                       '("SMART goals" "OKRs" "MBO areas" "Scorecard"))
                          labels)
    (when smart
      ;; What `completion-in-region' does once SMART goals is chosen:
      ;; replace the completed text with it, then run the exit function,
      ;; which applies the item's textEdit as a yasnippet snippet.
      (delete-region beg end)
      (goto-char beg)
      (insert smart)
      (funcall exit smart 'finished)))
  (goalframe-test-check "the SMART frame and its marker replace the token"
                        (and (string-match-p (regexp-quote "<!-- goalframe: account-executive-field-sales/P2 smart -->")
                                             (buffer-string))
                             (not (string-match-p (regexp-quote "@ae/p2") (buffer-string))))
                        (buffer-substring-no-properties (point-min) (min (point-max) 400)))
  (goalframe-test-check "the frame is a live snippet" (yas-active-snippets))

  ;; Flymake starts reporting once it has asked eglot's backend.
  (flymake-start)
  (goalframe-test-check "flymake flags each placeholder"
                        (goalframe-test-wait
                         (lambda () (let ((want (goalframe-test-placeholders)))
                                      (and want (equal want (goalframe-test-flymake-placeholders))))))
                        (list (length (goalframe-test-placeholders)) (length (flymake-diagnostics))
                              (mapcar #'flymake-diagnostic-text (seq-take (flymake-diagnostics) 2))))

  ;; Type over ⟨baseline⟩, TAB, ⟨target⟩, TAB, ⟨date⟩ as a user does.
  (execute-kbd-macro (kbd "1 0 % TAB 2 5 % TAB Q 3"))
  (let ((text (buffer-substring-no-properties (point-min) (point-max))))
    (goalframe-test-check "typing over the tabstops fills the first Measurable row"
                          (string-match-p (regexp-quote "from 10% to 25% by Q3.") text)
                          (seq-find (lambda (l) (string-match-p "Move the metric" l)) (split-string text "\n")))
    (goalframe-test-check "the linked Time-bound date follows"
                          (string-match-p "Time-bound[^\n]*Q3" text)
                          (seq-find (lambda (l) (string-match-p "Time-bound" l)) (split-string text "\n"))))
  (set-buffer-modified-p nil)
  (eglot-shutdown (eglot-current-server)))

(princ "DONE emacs\n")
(kill-emacs (if (zerop goalframe-test-failed) 0 1))
