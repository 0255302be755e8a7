/** The desk's stylesheet, served as /desk/assets/desk.css (a separate file: the CSP allows no inline style). */
export const deskCss = `
:root { font: 14px/1.4 system-ui, sans-serif; color: #1d2230; background: #f5f6f8; }
body { margin: 0; }
header { display: flex; justify-content: space-between; padding: 8px 16px; background: #1d2230; color: #fff; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { padding: 12px 16px; }
h1 { font-size: 18px; margin: 4px 0 8px; }
h2 { font-size: 14px; margin: 12px 0 6px; }
.count { background: #dde3ee; border-radius: 9px; padding: 0 8px; font-size: 13px; }
.hint, .meta { color: #5b6478; }
table.queue { border-collapse: collapse; width: 100%; background: #fff; }
table.queue th, table.queue td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e6ec; }
tr.overdue td { background: #fff3f0; }
.unanswered { margin-top: 12px; padding: 6px 10px; background: #fff8e1; border-left: 3px solid #f2b705; }
.flag { background: #c4321b; color: #fff; border-radius: 3px; padding: 0 4px; font-size: 12px; }
.bar { display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
.claim { color: #7a4f00; }
.desk { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 16px; }
.pages { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; }
.page { position: relative; display: inline-block; max-width: 100%; background: #fff; box-shadow: 0 1px 4px #0003; }
.page img { display: block; max-width: 100%; height: auto; }
#boxes { position: absolute; inset: 0; pointer-events: none; }
.box { position: absolute; box-sizing: border-box; border: 1px solid transparent; pointer-events: auto; cursor: pointer; }
.box:hover { border-color: #3b6fd8; background: #3b6fd822; }
.box.review { border: 2px solid #d8331b; background: #d8331b14; }
.box.accepted { border-color: #1f8a4c; background: #1f8a4c14; }
.box.current { outline: 3px solid #f2b705; outline-offset: 1px; }
.editor { position: absolute; z-index: 2; min-width: 180px; font: inherit; padding: 2px 4px; border: 2px solid #f2b705; }
.panel { background: #fff; padding: 8px 12px; box-shadow: 0 1px 4px #0002; align-self: start; }
.fields { padding-left: 20px; margin: 0; }
.fields li { padding: 3px 0; cursor: pointer; }
.fields li.current { background: #fff6d6; }
.fields li.accepted .name::after { content: ' ✓'; color: #1f8a4c; }
.fields .name { font-weight: 600; }
.fields .why { color: #a3341f; font-size: 12px; }
.fields .value { display: block; font-family: ui-monospace, monospace; }
.actions { display: flex; gap: 8px; margin: 12px 0; }
button { font: inherit; padding: 4px 10px; cursor: pointer; }
.approve { background: #1f8a4c; color: #fff; border: 0; }
.reject { background: #c4321b; color: #fff; border: 0; }
.reject-form textarea { width: 100%; min-height: 60px; }
.message { min-height: 1.4em; font-weight: 600; }
.shortcuts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 0; }
.shortcuts dd { margin: 0; color: #5b6478; }
kbd { border: 1px solid #b5bccb; border-radius: 3px; padding: 0 3px; font-size: 12px; background: #f5f6f8; color: #1d2230; }
`;
