;;; goalframe.el --- goalframe language server with eglot  -*- lexical-binding: t -*-

;; The configuration editors/emacs/README.md describes: eglot runs
;; `goalframe lsp' for markdown and text buffers, yasnippet expands the
;; goal frames (eglot offers snippets only when yasnippet is on), and
;; `goalframe-complete' completes the `@role/level' token before point.

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

;; markdown-mode derives from text-mode, so this hook serves both.
(add-hook 'text-mode-hook #'goalframe--buffer-setup)

(defun goalframe-complete ()
  "Complete the `@role/level' token before point with an item you choose.
Once the token names a role and a level, the items are the frames, and
the chosen one replaces the token.  eglot 1.9 (Emacs 28) cannot do this
through `completion-at-point': it filters the items against the text
after `@' and drops them all.  So this asks eglot for the same items,
unfiltered, and applies the chosen item's edit itself, as a snippet when
the item is one."
  (interactive)
  (let* ((table (nth 2 (or (eglot-completion-at-point) (user-error "No goalframe server here"))))
         (items (or (funcall table "" nil t) (user-error "No goalframe completion here")))
         (choice (completing-read "goalframe: " items nil t))
         ;; `completing-read' returns the label without the item attached.
         (item (get-text-property 0 'eglot--lsp-item (car (member choice items))))
         (edit (plist-get item :textEdit))
         (region (eglot--range-region (plist-get edit :range)))
         (snippet-fn (and (eql (plist-get item :insertTextFormat) 2)
                          (eglot--snippet-expansion-fn))))
    (delete-region (car region) (cdr region))
    (goto-char (car region))
    (funcall (or snippet-fn #'insert) (plist-get edit :newText))
    ;; Tell the server now, as eglot's own completion does.
    (eglot--signal-textDocument/didChange)))

(provide 'goalframe)
;;; goalframe.el ends here
