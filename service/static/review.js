// The review form's keyboard: shortcuts, the whole page one key away, zoom, and an ID number with a wrong
// check character refused while it is typed (the server refuses it again). Pages work without it.
"use strict";

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECKS = "10X98765432";

function idProblem(raw) {
  const v = raw.replace(/\s+/g, "").toUpperCase();
  if (!v) return "请输入身份证号";
  if (v.length !== 18) return `长度为${v.length}位，应为18位`;
  if (!/^\d{17}[\dX]$/.test(v)) return "只能是数字，最后一位可以是X";
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(v[i]) * ID_WEIGHTS[i];
  if (ID_CHECKS[sum % 11] !== v[17]) return "校验码不符：请对照扫描件逐位核对";
  return "";
}

function guardIdInput(input) {
  const hint = input.parentElement.querySelector(".check");
  const check = () => {
    const problem = idProblem(input.value);
    input.setCustomValidity(problem);
    input.classList.toggle("bad", Boolean(problem));
    if (hint) hint.textContent = problem;
  };
  input.addEventListener("input", check);
  input.addEventListener("invalid", () => { if (hint) hint.textContent = input.validationMessage; });
  check();
}

const ZOOMS = [1, 1.5, 2, 3];
let zoom = 0;

function setZoom(step) {
  zoom = Math.max(0, Math.min(ZOOMS.length - 1, zoom + step));
  document.documentElement.style.setProperty("--crop-zoom", String(ZOOMS[zoom]));
}

function showPage(src) {
  const view = document.getElementById("pageview");
  if (!view || !src) return;
  document.getElementById("pageview-img").src = src;
  view.hidden = false;
  view.dataset.returnTo = document.activeElement && document.activeElement.id ? document.activeElement.id : "";
  document.getElementById("pageview-close").focus();
}

function hidePage() {
  const view = document.getElementById("pageview");
  if (!view || view.hidden) return false;
  view.hidden = true;
  const back = view.dataset.returnTo && document.getElementById(view.dataset.returnTo);
  if (back) back.focus();
  return true;
}

function pageForFocus() {
  const here = document.activeElement && document.activeElement.closest(".field");
  const box = here || document.querySelector(".field.doubt") || document.querySelector(".field");
  const img = box && (box.querySelector("[data-page]") || document.querySelector("[data-page]"));
  return img ? img.dataset.page : "";
}

function click(id) {
  const el = document.getElementById(id);
  if (el && !el.disabled) { el.click(); return true; }
  return false;
}

function onKey(event) {
  if (event.key === "Escape" && hidePage()) { event.preventDefault(); return; }
  const typing = event.target.matches && event.target.matches("input[type=text], textarea, select");
  if (event.ctrlKey || event.metaKey) return;
  if (!event.altKey && typing) return;
  if (!event.altKey && event.shiftKey) return;
  const key = event.key.toLowerCase();
  const code = event.code;
  let done = true;
  if (code === "KeyP" || key === "p") showPage(pageForFocus());
  else if (code === "KeyL" || key === "l") done = click("postpone");
  else if (code === "KeyA" || key === "a") done = click("accept");
  else if (code === "KeyR" || key === "r") {
    const reason = document.getElementById("reject-reason");
    if (reason) { reason.focus(); reason.select(); } else done = false;
  } else if (code === "KeyN" || key === "n") {
    const next = document.getElementById("next-link");
    if (next) window.location.href = next.href; else done = false;
  } else if (code === "Equal" || code === "NumpadAdd" || key === "=" || key === "+") setZoom(1);
  else if (code === "Minus" || code === "NumpadSubtract" || key === "-") setZoom(-1);
  else done = false;
  if (done) event.preventDefault();
}

document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-kind=id_number]")) guardIdInput(input);
  for (const img of document.querySelectorAll("img.crop[data-page], a.pagelink[data-page]")) {
    img.addEventListener("click", (event) => { event.preventDefault(); showPage(img.dataset.page); });
  }
  const close = document.getElementById("pageview-close");
  if (close) close.addEventListener("click", hidePage);
  // The value under review is selected whenever it gets the focus (autofocus included, which may come
  // before or after this handler), so typing replaces it and Enter alone confirms it.
  for (const input of document.querySelectorAll("input.value")) input.addEventListener("focus", () => input.select());
  const focused = document.activeElement;
  if (focused && focused.matches("input.value")) focused.select();
  document.addEventListener("keydown", onKey);
});
