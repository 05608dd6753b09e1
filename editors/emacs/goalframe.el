;;; goalframe.el --- goalframe language server with eglot  -*- lexical-binding: t -*-

;; The configuration editors/emacs/README.md describes: eglot runs
;; `goalframe lsp' for markdown and text buffers, yasnippet expands the
;; goal frames (eglot offers snippets only when yasnippet is on), and
;; `goalframe-complete' replaces the `@role/level' token before point with
;; a chosen frame.

;;; Code:

(require 'eglot)
(require 'yasnippet)

(defvar goalframe-program "goalframe"
  "The goalframe binary: a name on `exec-path' or an absolute path.")

;; One server for markdown buffers and one for text buffers, because eglot
;; 1.9 sends one language id per server, and the language id is what
;; tells the server which form of the frames to insert.  The markdown entry
;; comes first (markdown-mode derives from text-mode) and names its
;; language id, which gfm-mode would otherwise send as "gfm".  The contact
;; is a function so that `goalframe-program' is read when eglot connects.
(defun goalframe--contact (&optional _interactive)
  "The command eglot runs for goalframe."
  (list goalframe-program "lsp"))

(add-to-list 'eglot-server-programs '(text-mode . goalframe--contact))
(add-to-list 'eglot-server-programs
             '((markdown-mode :language-id "markdown") . goalframe--contact))

(defun goalframe--buffer-setup ()
  "Turn on yasnippet, and keep the indentation that frames carry.
yasnippet's default, `auto', re-indents each snippet line for the major
mode, which would flatten the rows nested under each goal."
  (yas-minor-mode 1)
  (setq-local yas-indent-line 'fixed))

(add-hook 'markdown-mode-hook #'goalframe--buffer-setup)
(add-hook 'text-mode-hook #'goalframe--buffer-setup)

(defun goalframe-complete ()
  "Replace the `@role/level' token before point with a frame you choose.
Asks the server for completions, as `completion-at-point' does, but
offers the items unfiltered: eglot 1.9 (Emacs 28) filters them against
the text after `@' and so drops every frame."
  (interactive)
  (pcase-let* ((`(,beg ,end ,table . ,props) (or (eglot-completion-at-point)
                                                  (user-error "No goalframe server here")))
               (labels (or (funcall table "" nil t) (user-error "No goalframe completion here")))
               (choice (completing-read "Frame: " labels nil t)))
    ;; What `completion-in-region' does with a chosen candidate: put it in
    ;; place of the completed text, then run the item's exit function,
    ;; which applies the server's edit (as a snippet).
    (delete-region beg end)
    (goto-char beg)
    (insert choice)
    (funcall (plist-get props :exit-function) choice 'finished)))

(provide 'goalframe)
;;; goalframe.el ends here
